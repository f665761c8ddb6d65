/* The C API from C, on the host: a model verifies, a tampered one fails
 * with the core's check, and misuse (null pointers, short buffers, calls
 * out of order, a misaligned or uninitialized state) returns error codes.
 *
 *   host_test TESTDATA_DIR
 *
 * Built and run by ffi/tests/c_host.rs (under AddressSanitizer and UBSan).
 * Ends with "N passed, M failed"; exits non-zero on a failure. */

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms_edge.h"

static int passed, failed;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      passed++;                                                              \
    } else {                                                                 \
      failed++;                                                              \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
    }                                                                        \
  } while (0)

#define CHECK_RC(call, want)                                                 \
  do {                                                                       \
    int32_t rc_ = (call);                                                    \
    if (rc_ == (want)) {                                                     \
      passed++;                                                              \
    } else {                                                                 \
      failed++;                                                              \
      fprintf(stderr, "FAIL %s:%d: %s = %d (%s), want %d (%s)\n", __FILE__,   \
              __LINE__, #call, rc_, oms_edge_check_name(rc_), (int)(want),   \
              oms_edge_check_name(want));                                    \
    }                                                                        \
  } while (0)

typedef struct {
  uint8_t *data;
  size_t len;
} buf_t;

static buf_t slurp(const char *dir, const char *rel) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  buf_t b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  b.len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  b.data = malloc(b.len ? b.len : 1);
  if (!b.data || fread(b.data, 1, b.len, f) != b.len) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  return b;
}

/* Streams every signed file of the model in DIR (manifest order) in
 * CHUNK-byte updates; FLIP >= 0 flips that byte of the first file. */
static int32_t stream_model(oms_edge_verifier *v, const char *dir, size_t chunk,
                            long flip, oms_edge_model *out) {
  size_t n = 0;
  int32_t rc = oms_edge_resource_count(v, &n);
  if (rc) return rc;
  char prev[1024] = "";
  for (size_t i = 0; i < n; i++) {
    char name[1024];
    size_t len = 0;
    rc = oms_edge_resource_path(v, i, name, sizeof name, &len);
    if (rc) return rc;
    if (strcmp(name, prev) == 0) continue; /* the next shard of a file */
    strcpy(prev, name);
    buf_t file = slurp(dir, name);
    if (flip >= 0 && i == 0 && (size_t)flip < file.len) file.data[flip] ^= 1;
    rc = oms_edge_begin_file(v, name, len, file.len);
    for (size_t at = 0; !rc && at < file.len; at += chunk) {
      size_t k = file.len - at < chunk ? file.len - at : chunk;
      rc = oms_edge_update(v, file.data + at, k);
    }
    if (!rc) rc = oms_edge_finish_file(v);
    free(file.data);
    if (rc) return rc;
  }
  return oms_edge_finish(v, out);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s TESTDATA_DIR\n", argv[0]);
    return 2;
  }
  const char *td = argv[1];
  char model_dir[4096];
  snprintf(model_dir, sizeof model_dir, "%s/sample/model", td);
  buf_t bundle = slurp(td, "sample/model.sig");
  buf_t key = slurp(td, "sample/key.pub");
  uint8_t *payload = malloc(bundle.len);

  CHECK(sizeof(oms_edge_verifier) == OMS_EDGE_VERIFIER_SIZE);
  CHECK(alignof(oms_edge_verifier) == OMS_EDGE_VERIFIER_ALIGN);

  /* A state in static storage, as a firmware would have it. */
  static oms_edge_verifier v;
  oms_edge_model model;

  /* 1. The sample model verifies, in small and large chunks. */
  size_t chunks[] = {1, 13, 4096};
  for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
    CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                                 payload, bundle.len, 0),
             OMS_EDGE_OK);
    memset(&model, 0, sizeof model);
    CHECK_RC(stream_model(&v, model_dir, chunks[c], -1, &model), OMS_EDGE_OK);
    CHECK(model.resources == 3);
    CHECK(model.has_root_digest);
  }
  printf("verified: root digest ");
  for (int i = 0; i < 32; i++) printf("%02x", model.root_digest[i]);
  printf("\n");

  /* 2. A flipped byte fails with the core's check, by name and number. */
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_OK);
  int32_t rc = stream_model(&v, model_dir, 64, 7, &model);
  CHECK(strcmp(oms_edge_check_name(rc), "model.digest_mismatch") == 0);
  CHECK(rc == 705);
  /* ... and stays failed. */
  CHECK_RC(oms_edge_finish(&v, &model), rc);

  /* 3. A wrong key: the core's key check. */
  buf_t other = slurp(td, "keys/p384.pub.pem");
  rc = oms_edge_key_verify(&v, bundle.data, bundle.len, other.data, other.len,
                           payload, bundle.len, 0);
  CHECK(strcmp(oms_edge_check_name(rc), "key.hint_mismatch") == 0);

  /* 4. Null pointers. */
  CHECK_RC(oms_edge_verifier_init(NULL), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_key_verify(NULL, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_key_verify(&v, NULL, bundle.len, key.data, key.len, payload,
                               bundle.len, 0),
           OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, NULL, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               NULL, bundle.len, 0),
           OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_OK);
  size_t count = 0;
  CHECK_RC(oms_edge_resource_count(NULL, &count), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_resource_count(&v, NULL), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_resource_path(&v, 0, NULL, 10, NULL), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_begin_file(&v, NULL, 4, 1), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_update(NULL, payload, 1), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_finish_file(NULL), OMS_EDGE_ERR_NULL);
  CHECK_RC(oms_edge_finish(NULL, &model), OMS_EDGE_ERR_NULL);
  CHECK(oms_edge_check_name(OMS_EDGE_ERR_NULL) != NULL);
  CHECK(strcmp(oms_edge_check_name(OMS_EDGE_ERR_NULL), "api.null_pointer") == 0);

  /* 5. Short buffers: a path buffer, and a payload buffer. */
  char small[4];
  size_t len = 0;
  CHECK_RC(oms_edge_resource_path(&v, 1, small, sizeof small, &len),
           OMS_EDGE_ERR_BUFFER);
  CHECK(len == strlen("model.safetensors"));
  rc = oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                           payload, 64, 0);
  CHECK(rc > 0);
  CHECK(strncmp(oms_edge_check_name(rc), "dsse.", 5) == 0);
  printf("a 64-byte payload buffer: %s\n", oms_edge_check_name(rc));

  /* 6. Calls out of order. */
  CHECK_RC(oms_edge_verifier_init(&v), OMS_EDGE_OK);
  CHECK_RC(oms_edge_begin_file(&v, "config.json", 11, 1), OMS_EDGE_ERR_ORDER);
  CHECK_RC(oms_edge_finish(&v, &model), OMS_EDGE_ERR_ORDER);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_OK);
  CHECK_RC(oms_edge_update(&v, payload, 1), OMS_EDGE_ERR_ORDER);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0),
           OMS_EDGE_OK);
  CHECK_RC(oms_edge_begin_file(&v, "config.json", 11, 1), OMS_EDGE_OK);
  CHECK_RC(oms_edge_finish(&v, &model), OMS_EDGE_ERR_ORDER);

  /* 7. A misaligned, and an uninitialized, state. */
  alignas(8) static unsigned char raw[OMS_EDGE_VERIFIER_SIZE + 8];
  oms_edge_verifier *odd = (oms_edge_verifier *)(void *)(raw + 4);
  CHECK_RC(oms_edge_verifier_init(odd), OMS_EDGE_ERR_ALIGN);
  oms_edge_verifier *garbage = (oms_edge_verifier *)(void *)raw;
  memset(raw, 0xA5, sizeof raw);
  CHECK_RC(oms_edge_finish_file(garbage), OMS_EDGE_ERR_UNINITIALIZED);

  /* 8. Overlapping bundle and payload buffers; unknown flags. */
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               bundle.data + 1, bundle.len - 1, 0),
           OMS_EDGE_ERR_OVERLAP);
  CHECK_RC(oms_edge_key_verify(&v, bundle.data, bundle.len, key.data, key.len,
                               payload, bundle.len, 0x100),
           OMS_EDGE_ERR_ARGUMENT);

  free(payload);
  free(bundle.data);
  free(key.data);
  free(other.data);
  printf("c host test: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

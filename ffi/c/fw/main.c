/* C firmware for QEMU mps2-an386 (Cortex-M4): verifies the model package
 * QEMU loaded into PSRAM (its package area) with liboms_edge (key method, no
 * heap), streaming each file through the library as a firmware streams
 * it from flash, and prints the verdict as firmware-example does:
 *
 *   FLASHED <root digest>
 *   REFUSED <check>
 *
 * The package is firmware-example's (pack.sh): a ustar archive, model.sig
 * first, then the model's VERSION file when it has one (the Rust loader
 * checks it before touching the flash), then the other files in manifest
 * order. The library takes files in manifest order, so VERSION is streamed
 * at its own place in that order, not where the package carries it. Only
 * verification is shown here; writing the model to a slot is the loader's
 * business (firmware-example/loader). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "oms_edge.h"

/* The package area: QEMU's loader device puts the package here (PSRAM;
 * run-qemu.sh), 1 MiB at most. */
#define STAGING ((const uint8_t *)0x21000000)
#define STAGING_LEN (1024u * 1024u)
#define BLOCK 512u
/* Bytes handed to oms_edge_update at a time (a flash read buffer). */
#define CHUNK 1024u

/* The pinned key: testdata/keys/p256.pub.der (DER SPKI), linked in. */
extern const uint8_t key_der[], key_der_end[];
__asm__(".section .rodata.key_der,\"a\"\n"
        ".global key_der\n.global key_der_end\n"
        "key_der:\n.incbin \"" KEY_DER "\"\n"
        "key_der_end:\n.previous\n");

static oms_edge_verifier verifier;
/* The decoded statement: about three quarters of the bundle. */
static uint8_t payload[8 * 1024];

static void print(const char *a, const char *b) {
  board_puts(a);
  if (b) board_puts(b);
  board_puts("\n");
}

static void print_number(const char *label, size_t n, const char *after) {
  char digits[24];
  int i = (int)sizeof digits - 1;
  digits[i] = 0;
  do {
    digits[--i] = (char)('0' + n % 10);
    n /= 10;
  } while (n && i > 0);
  board_puts(label);
  board_puts(&digits[i]);
  board_puts(after);
}

static int refused(int32_t rc) {
  print("REFUSED ", oms_edge_check_name(rc));
  return 1;
}

/* One ustar member: name (prefix/name), data and size. */
typedef struct {
  /* prefix (155) + '/' + name (100) + NUL */
  char name[257];
  size_t name_len;
  const uint8_t *data;
  uint32_t size;
  uint32_t next; /* offset of the next header */
} member_t;

static bool all_zero(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

/* Reads the header at `at`: 1 for a member, 0 at the end of the archive,
 * -1 for a malformed or truncated package. */
static int read_member(uint32_t at, member_t *m) {
  if (at > STAGING_LEN - BLOCK) return -1;
  const uint8_t *h = STAGING + at;
  if (all_zero(h, BLOCK)) return 0;
  static const char magic[6] = {'u', 's', 't', 'a', 'r', 0};
  for (int i = 0; i < 6; i++)
    if (h[257 + i] != (uint8_t)magic[i]) return -1;
  uint32_t sum = 0, want = 0;
  for (uint32_t i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  for (int i = 148; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) want = want * 8 + (h[i] - '0');
  if (sum != want || (h[156] != '0' && h[156] != 0)) return -1;
  uint32_t size = 0;
  for (int i = 124; i < 136 && h[i] != 0 && h[i] != ' '; i++) {
    if (h[i] < '0' || h[i] > '7' || size > (STAGING_LEN >> 3)) return -1;
    size = size * 8 + (uint32_t)(h[i] - '0');
  }
  m->name_len = 0;
  for (int i = 345; i < 500 && h[i]; i++) m->name[m->name_len++] = (char)h[i];
  if (m->name_len) m->name[m->name_len++] = '/';
  for (int i = 0; i < 100 && h[i]; i++) m->name[m->name_len++] = (char)h[i];
  m->name[m->name_len] = 0;
  uint32_t data = at + BLOCK;
  if (size > STAGING_LEN - data) return -1;
  m->data = STAGING + data;
  m->size = size;
  m->next = data + ((size + BLOCK - 1) / BLOCK) * BLOCK;
  return 1;
}

static bool named(const member_t *m, const char *want) {
  size_t i = 0;
  for (; i < m->name_len && want[i]; i++)
    if (m->name[i] != want[i]) return false;
  return i == m->name_len && !want[i];
}

/* Whether `a` comes before `b` in manifest order: the OMS reference's
 * path order, component by component, where '/' sorts before every other
 * byte (as pack.sh sorts). */
static bool before(const char *a, size_t a_len, const char *b, size_t b_len) {
  for (size_t i = 0; i < a_len && i < b_len; i++) {
    uint8_t x = a[i] == '/' ? 0 : (uint8_t)a[i];
    uint8_t y = b[i] == '/' ? 0 : (uint8_t)b[i];
    if (x != y) return x < y;
  }
  return a_len < b_len;
}

/* Streams one member through the library as one file. */
static int32_t stream(const member_t *m) {
  int32_t rc = oms_edge_begin_file(&verifier, m->name, m->name_len, m->size);
  for (uint32_t off = 0; !rc && off < m->size; off += CHUNK) {
    uint32_t n = m->size - off < CHUNK ? m->size - off : CHUNK;
    rc = oms_edge_update(&verifier, m->data + off, n);
  }
  if (!rc) rc = oms_edge_finish_file(&verifier);
  return rc;
}

static int verify_package(void) {
  member_t m;
  if (read_member(0, &m) != 1 || !named(&m, "model.sig")) {
    print("REFUSED package", ": model.sig is not the first member");
    return 1;
  }
  int32_t rc = oms_edge_key_verify(&verifier, m.data, m.size, key_der,
                                   (size_t)(key_der_end - key_der), payload,
                                   sizeof payload, 0);
  if (rc) return refused(rc);
  uint32_t at = m.next;
  /* VERSION, right after model.sig, waits for its place in manifest
   * order: before the first member that sorts after it, or at the end. */
  member_t version;
  bool version_pending = false;
  for (bool first = true;; first = false) {
    int r = read_member(at, &m);
    if (r < 0) {
      print("REFUSED package", ": malformed or truncated archive");
      return 1;
    }
    if (r == 0) break;
    at = m.next;
    if (first && named(&m, "VERSION")) {
      version = m;
      version_pending = true;
      continue;
    }
    if (version_pending && before(version.name, version.name_len, m.name, m.name_len)) {
      version_pending = false;
      rc = stream(&version);
      if (rc) return refused(rc);
    }
    rc = stream(&m);
    if (rc) return refused(rc);
  }
  if (version_pending) {
    rc = stream(&version);
    if (rc) return refused(rc);
  }
  oms_edge_model model;
  rc = oms_edge_finish(&verifier, &model);
  if (rc) return refused(rc);
  static const char hex[] = "0123456789abcdef";
  char root[65];
  for (int i = 0; i < 32; i++) {
    root[2 * i] = hex[model.root_digest[i] >> 4];
    root[2 * i + 1] = hex[model.root_digest[i] & 15];
  }
  root[64] = 0;
  print("FLASHED ", root);
  return 0;
}

int main(void) {
  int rc = verify_package();
  print_number("STACK peak ", board_stack_peak(), "");
  print_number(" of ", board_stack_size(), " bytes; heap none\n");
  return rc;
}

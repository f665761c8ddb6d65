/* Reset, vector table, semihosting (output and exit) and stack painting
 * for QEMU mps2-an386, without a C library. */

#include <stddef.h>
#include <stdint.h>

#include "board.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _stack_top;
extern int main(void);

/* ARM semihosting: operation in r0, argument in r1, `bkpt 0xAB`. */
static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void board_puts(const char *s) { semihost(0x04 /* SYS_WRITE0 */, s); }

void board_exit(int ok) {
  /* ADP_Stopped_ApplicationExit: QEMU exits 0; RunTimeErrorUnknown: 1. */
  uintptr_t reason = ok ? 0x20026 : 0x20023;
  semihost(0x18 /* SYS_EXIT */, (const void *)reason);
  for (;;) {
  }
}

#define PAINT 0xA5C35A3Cu

/* Paints the stack from the end of the statics up to 256 bytes below the
 * current stack pointer. */
static void __attribute__((noinline)) paint_stack(void) {
  uint32_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t *p = &_ebss; (uint32_t)p + 256 < sp; p++) *p = PAINT;
}

size_t board_stack_peak(void) {
  uint32_t *p = &_ebss;
  while (p < &_stack_top && *p == PAINT) p++;
  return (size_t)((uint32_t)&_stack_top - (uint32_t)p);
}

size_t board_stack_size(void) {
  return (size_t)((uint32_t)&_stack_top - (uint32_t)&_ebss);
}

void reset_handler(void) {
  for (uint32_t *s = &_sidata, *d = &_sdata; d < &_edata;) *d++ = *s++;
  for (uint32_t *d = &_sbss; d < &_ebss;) *d++ = 0;
  /* Full access to the FPU (CP10, CP11): the library is built for
   * thumbv7em-none-eabihf. */
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
  __asm__ volatile("dsb\n isb");
  paint_stack();
  board_exit(main() == 0);
}

static void fault(void) {
  board_puts("HARDFAULT\n");
  board_exit(0);
}

__attribute__((section(".vector_table"), used)) static const void *const vectors[16] = {
    &_stack_top, (const void *)reset_handler, (const void *)fault, (const void *)fault,
    (const void *)fault, (const void *)fault, (const void *)fault,
};

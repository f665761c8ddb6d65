/* Board glue (startup.c): output, exit and stack measurement. */
#ifndef BOARD_H
#define BOARD_H
#include <stddef.h>

void board_puts(const char *s);
void board_exit(int ok) __attribute__((noreturn));
size_t board_stack_peak(void);
size_t board_stack_size(void);

#endif

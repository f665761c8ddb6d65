#!/usr/bin/env python3
"""A static upper bound on the stack a Cortex-M firmware ELF can use.

    stack-bound.py ELF [--root SYMBOL]... [--budget BYTES] [--markdown]

Walks the call graph of every function reachable from the roots (default:
the reset handler, `Reset`) over the machine code that was linked, and
sums frame sizes along the deepest path:

* frames: from the `.stack_sizes` section that `-Z emit-stack-sizes`
  (nightly rustc) makes LLVM write for every function it compiled; for
  the few without an entry (compiler_builtins' `memcpy`, `__aeabi_*`, the
  hand-written handlers) from their machine code: every instruction that
  lowers SP (push, stmdb sp!, vpush, sub sp) summed over the whole
  function, which over-approximates a function that pushes on two paths.
  With `--check-prologues` the same reading of the machine code is
  compared with LLVM's number for every function that has both.
* calls: `bl` and `blx` to a label; a branch (`b`, `b.w`, `bcc`, `cbz`,
  `cbnz`) that leaves its function is a tail call, counted as if it were a
  call (the caller's frame is still added: an over-approximation);
* indirect calls (`blx rN`, `bx rN` other than `bx lr`, `ldr pc` not from
  SP, `mov pc`): resolved conservatively to every function whose address
  the image holds anywhere (a 32-bit word in `.text` literal pools,
  `.rodata`, `.data`, or a `movw`/`movt` pair); the vector table does not
  count (exception handlers are roots of their own, not callees).

A cycle in the reachable graph is recursion: its frames have no static
bound, so the script names the cycle and fails. Exception handlers run
on the same stack: an exception adds its stacked frame (32 bytes, 104
with the FPU context) plus the handler's own path; the firmware enables
no interrupt and its HardFault handler moves SP to the top of the stack
before it runs anything, so the bound is the reset handler's.

Needs llvm-objdump (any LLVM >= 14) on PATH. Exit status 1 when a cycle
is reachable, an indirect call has no candidate, or the bound exceeds
`--budget`.
"""

import argparse
import re
import struct
import subprocess
import sys
from collections import defaultdict


class Elf:
    """The parts of an ELF32 little-endian file this script reads."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 1 or d[5] != 1:
            sys.exit(f"{path}: not a little-endian ELF32 file")
        (self.shoff,) = struct.unpack_from("<I", d, 0x20)
        self.shentsize, self.shnum, self.shstrndx = struct.unpack_from("<HHH", d, 0x2E)
        self.sections = []
        for i in range(self.shnum):
            off = self.shoff + i * self.shentsize
            name, typ, flags, addr, offset, size, link, info, align, entsize = struct.unpack_from(
                "<IIIIIIIIII", d, off
            )
            self.sections.append(
                dict(name_off=name, type=typ, flags=flags, addr=addr, offset=offset, size=size, link=link)
            )
        strtab = self.sections[self.shstrndx]
        for s in self.sections:
            s["name"] = self._str(strtab, s["name_off"])

    def _str(self, sec, off):
        start = sec["offset"] + off
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode()

    def section(self, name):
        for s in self.sections:
            if s["name"] == name:
                return s
        return None

    def word_at(self, addr):
        """The 32-bit word at `addr` of a loaded section, if any."""
        for s in self.sections:
            if s["addr"] <= addr < s["addr"] + s["size"] and s["type"] != 8 and s["addr"]:
                off = s["offset"] + addr - s["addr"]
                return struct.unpack_from("<I", self.data, off)[0]
        return None

    def bytes_of(self, sec):
        return self.data[sec["offset"] : sec["offset"] + sec["size"]]

    def functions(self):
        """{address: (name, size)} of STT_FUNC symbols (thumb bit cleared)."""
        symtab = self.section(".symtab")
        if symtab is None:
            sys.exit("no .symtab: build with symbols (the release profile keeps them)")
        strtab = self.sections[symtab["link"]]
        out = {}
        for i in range(symtab["size"] // 16):
            name_off, value, size, info, other, shndx = struct.unpack_from(
                "<IIIBBH", self.data, symtab["offset"] + i * 16
            )
            if info & 0xF != 2 or size == 0:  # STT_FUNC
                continue
            addr = value & ~1
            name = self._str(strtab, name_off)
            # Several names for one address (identical code folded): keep
            # the first, remember the others.
            if addr not in out:
                out[addr] = [name, size, []]
            else:
                out[addr][2].append(name)
        return out

    def stack_sizes(self):
        """{function address: frame bytes} from .stack_sizes, if present."""
        sec = self.section(".stack_sizes")
        if sec is None:
            return None
        raw = self.bytes_of(sec)
        out, i = {}, 0
        while i < len(raw):
            (addr,) = struct.unpack_from("<I", raw, i)
            i += 4
            size, shift = 0, 0
            while True:
                b = raw[i]
                i += 1
                size |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            out[addr & ~1] = size
        return out


LEGACY = [("$LT$", "<"), ("$GT$", ">"), ("$RF$", "&"), ("$BP$", "*"), ("$u20$", " "),
          ("$u27$", "'"), ("$u5b$", "["), ("$u5d$", "]"), ("$u7b$", "{"), ("$u7d$", "}"),
          ("$u3b$", ";"), ("$u2b$", "+"), ("$u22$", '"'), ("$C$", ","), ("$SP$", "@"), ("..", "::")]


def tidy(name):
    """Rust's legacy mangling that llvm-cxxfilt leaves, made readable."""
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)
    if name.startswith("_$"):
        name = name[1:]
    for a, b in LEGACY:
        name = name.replace(a, b)
    return name


def demangle(names):
    try:
        out = subprocess.run(
            ["llvm-cxxfilt"], input="\n".join(names), capture_output=True, text=True, check=True
        ).stdout.splitlines()
        if len(out) == len(names):
            return {n: tidy(d) for n, d in zip(names, out)}
    except (OSError, subprocess.CalledProcessError):
        pass
    return {n: tidy(n) for n in names}


INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*?)\s*(?:@\s*(.*))?$")
TARGET = re.compile(r"^0x([0-9a-f]+)")
REGLIST = re.compile(r"\{([^}]*)\}")
IMM = re.compile(r"#(-?(?:0x[0-9a-f]+|\d+))")
BRANCH = re.compile(
    r"^(b|bl|blx|cbz|cbnz|b(eq|ne|hs|cs|lo|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al))(\.w|\.n)?$"
)


def reg_count(operands):
    m = REGLIST.search(operands)
    if not m:
        return 0
    n = 0
    for part in m.group(1).split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            n += int(re.sub(r"\D", "", b)) - int(re.sub(r"\D", "", a)) + 1
        elif part:
            n += 1
    return n


def sp_decrement(mnem, ops):
    """Bytes an instruction lowers SP by (0 if it does not)."""
    base = mnem.split(".")[0]
    if base in ("push",):
        return 4 * reg_count(ops)
    if base in ("stmdb", "stmfd") and ops.startswith("sp!"):
        return 4 * reg_count(ops)
    if base == "vpush":
        regs = REGLIST.search(ops).group(1)
        width = 8 if "d" in regs else 4
        return width * reg_count(ops)
    if base in ("sub", "subw", "subs") and re.match(r"sp,\s*(sp,\s*)?#", ops):
        return int(IMM.search(ops).group(1), 0)
    if base == "str" and re.match(r"\S+,\s*\[sp,\s*#-(\d+)\]!", ops):
        return int(re.match(r"\S+,\s*\[sp,\s*#-(\d+)\]!", ops).group(1))
    return 0


def disassemble(elf_path, funcs):
    """{function address: info} with calls, indirect sites, SP decrements."""
    out = subprocess.run(
        ["llvm-objdump", "-d", "--no-show-raw-insn", elf_path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    starts = sorted(funcs)
    ends = {a: a + funcs[a][1] for a in starts}
    info = {a: dict(calls=set(), indirect=[], sp=0, unknown_sp=[], movw={}, consts=set(), insns=[],
                    targets=set()) for a in starts}
    import bisect

    def owner(addr):
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0 and addr < ends[starts[i]]:
            return starts[i]
        return None

    for line in out.splitlines():
        m = INSN.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        mnem, ops, note = m.group(2), m.group(3), m.group(4) or ""
        if mnem.startswith(".") or re.fullmatch(r"[0-9a-f]{2}", mnem):
            continue  # data (literal pools), scanned from the section bytes
        f = owner(addr)
        if f is None:
            continue
        fi = info[f]
        fi["insns"].append((addr, mnem, ops, note))
        fi["sp"] += sp_decrement(mnem, ops)
        base = mnem.split(".")[0]
        # SP lowered by a register amount (a dynamic frame) cannot be
        # sized; SP set from another register (`mov sp, r7`, `sub.w sp,
        # r7, #n`) is an epilogue restoring it, which only raises it.
        if base in ("sub", "subs", "subw") and re.match(r"sp,\s*(sp,\s*)?(r\d+|lr|ip)\b", ops):
            fi["unknown_sp"].append((addr, line.strip()))
        if base in ("bic", "and", "bfc") and re.match(r"sp\b", ops):
            fi["unknown_sp"].append((addr, line.strip()))
        # movw/movt pairs that build an address.
        mw = re.match(r"(r\d+|r1[0-2]|lr),\s*#(0x[0-9a-f]+|\d+)", ops)
        if base == "movw" and mw:
            fi["movw"][mw.group(1)] = int(mw.group(2), 0)
        elif base == "movt" and mw and mw.group(1) in fi["movw"]:
            fi["consts"].add((int(mw.group(2), 0) << 16) | fi["movw"].pop(mw.group(1)))
        if BRANCH.match(mnem) or mnem in ("cbz", "cbnz"):
            t = TARGET.search(ops.split(",")[-1].strip())
            if t:
                target = int(t.group(1), 16)
                if base in ("bl", "blx"):
                    fi["calls"].add(target)
                elif not (f <= target < ends[f]):
                    fi["calls"].add(target)  # tail call
                else:
                    fi["targets"].add(target)
            elif base in ("blx",) and re.match(r"r\d+|r1[0-2]|lr", ops):
                fi["indirect"].append((addr, line.strip(), ops.strip()))
        elif base.startswith("bx") and not ops.startswith("lr"):
            fi["indirect"].append((addr, line.strip(), ops.strip()))
        elif base.startswith("ldr") and ops.startswith("pc") and "[sp" not in ops:
            fi["indirect"].append((addr, line.strip(), None))
        elif base.startswith("mov") and ops.startswith("pc"):
            fi["indirect"].append((addr, line.strip(), None))
    return info


CALLER_SAVED = {"r0", "r1", "r2", "r3", "r12", "ip", "lr"}
NO_DEST = ("str", "stm", "push", "cmp", "cmn", "tst", "teq", "b", "cb", "vstr", "vpush", "it", "dmb",
           "dsb", "isb", "nop", "bkpt", "udf", "svc", "msr", "vcmp", "pld")


def writes(mnem, ops, reg):
    """Whether the instruction writes register `reg` (over-approximated)."""
    base = mnem.split(".")[0]
    if base in ("bl", "blx"):
        return reg in CALLER_SAVED
    if base.startswith(NO_DEST) and not base.startswith(("bic", "sbc", "sbfx", "strex")):
        return base.startswith("strex") and ops.split(",")[0].strip() == reg
    if base.startswith(("pop", "ldm")):
        m = REGLIST.search(ops)
        regs = set()
        for part in (m.group(1).split(",") if m else []):
            part = part.strip()
            if "-" in part:
                a, b = (int(re.sub(r"\D", "", x)) for x in part.split("-"))
                regs |= {f"r{i}" for i in range(a, b + 1)}
            else:
                regs.add(part)
        first = ops.split(",")[0].strip()
        return reg in regs or (first.rstrip("!") == reg and first.endswith("!"))
    parts = [p.strip() for p in ops.split(",")]
    dests = parts[:1]
    if base.startswith(("ldrd", "umull", "smull", "umlal", "smlal", "umaal", "vmov")):
        dests = parts[:2]
    return reg in dests or any(p.startswith("[") and p.endswith("!") and reg in p for p in parts)


def resolve_indirect(elf, funcs, fi, site):
    """The targets of an indirect call through a register that was loaded
    with a function's address (LLVM keeps a callee's address in a register
    to call it several times: `ldr r8, [pc, #n]` ... `blx r8`): the last
    write to the register before the call in the same basic block, or, for
    a callee-saved register, every write to it in the function. `None`
    when that is not a known function address."""
    addr, _, reg = site
    if reg is None:
        return None
    insns = fi["insns"]
    idx = next(i for i, x in enumerate(insns) if x[0] == addr)

    def value(i):
        a, mnem, ops, note = insns[i]
        if re.fullmatch(r"ldr(\.w)?", mnem) and re.search(r"\[pc", ops):
            m = re.match(r"0x([0-9a-f]+)", note)
            if m:
                word = elf.word_at(int(m.group(1), 16))
                if word is not None and word & 1 and (word & ~1) in funcs:
                    return word & ~1
        return None

    def copied(i):
        """The source of a register copy (`mov rD, rS`), if insn i is one."""
        _, mnem, ops, _ = insns[i]
        parts = [p.strip() for p in ops.split(",")]
        if re.fullmatch(r"movs?(\.w)?", mnem) and len(parts) == 2 and re.fullmatch(r"r\d+|ip|lr", parts[1]):
            return parts[1]
        return None

    def every_write(reg, seen):
        """Every function address written to callee-saved `reg` anywhere in
        the function (following register copies), or None."""
        if reg in CALLER_SAVED or reg in seen:
            return None if reg in CALLER_SAVED else set()
        seen = seen | {reg}
        found = set()
        for i, (a, mnem, ops, _) in enumerate(insns):
            if mnem.split(".")[0].startswith("pop") or mnem.startswith("ldm") and "sp!" in ops:
                continue  # an epilogue restoring the caller's value
            if mnem.startswith("push") or mnem.startswith("stm"):
                continue
            if writes(mnem, ops, reg):
                src = copied(i)
                if src is not None:
                    more = every_write(src, seen)
                    if more is None:
                        return None
                    found |= more
                    continue
                v = value(i)
                if v is None:
                    return None
                found.add(v)
        return found

    for i in range(idx - 1, -1, -1):
        a, mnem, ops, _ = insns[i]
        if writes(mnem, ops, reg):
            v = value(i)
            if v is not None:
                return {v}
            src = copied(i)
            return (every_write(src, frozenset()) or None) if src is not None else None
        if a in fi["targets"]:
            break
    return every_write(reg, frozenset()) or None


def address_taken(elf, funcs, info):
    """Functions whose address the image holds (outside the vector table)."""
    taken = set()
    for name in (".text", ".rodata", ".data"):
        sec = elf.section(name)
        if sec is None or sec["type"] == 8:  # NOBITS
            continue
        raw = elf.bytes_of(sec)
        for i in range(0, len(raw) - 3, 2 if name == ".text" else 4):
            (v,) = struct.unpack_from("<I", raw, i)
            if v & 1 and (v & ~1) in funcs:
                taken.add(v & ~1)
    for fi in info.values():
        for v in fi["consts"]:
            if v & 1 and (v & ~1) in funcs:
                taken.add(v & ~1)
    return taken


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elf")
    ap.add_argument("--root", action="append", help="entry symbol (default: Reset)")
    ap.add_argument("--budget", type=int, help="fail when the bound exceeds this many bytes")
    ap.add_argument("--markdown", action="store_true", help="print the worst path as a Markdown table")
    ap.add_argument("--check-prologues", action="store_true",
                    help="compare the machine-code frame reading with .stack_sizes")
    ap.add_argument("--top", type=int, default=0, help="also list the N largest frames")
    ap.add_argument("--indirect", action="store_true",
                    help="list the indirect call sites and the address-taken functions")
    ap.add_argument("--callers", metavar="SYMBOL",
                    help="list the reachable functions that call SYMBOL (a substring)")
    args = ap.parse_args()

    elf = Elf(args.elf)
    funcs = elf.functions()
    sizes = elf.stack_sizes()
    if sizes is None:
        print("note: no .stack_sizes section (build with -Z emit-stack-sizes); "
              "every frame is read from the machine code", file=sys.stderr)
        sizes = {}
    info = disassemble(args.elf, funcs)
    names = demangle([funcs[a][0] for a in funcs])

    def name(a):
        return names.get(funcs[a][0], funcs[a][0]) if a in funcs else hex(a)

    frame, source = {}, {}
    for a in funcs:
        if a in sizes:
            frame[a], source[a] = sizes[a], "llvm"
        else:
            frame[a], source[a] = info[a]["sp"], "code"

    if args.check_prologues:
        worse = [(a, sizes[a], info[a]["sp"]) for a in funcs if a in sizes and info[a]["sp"] < sizes[a]]
        same = sum(1 for a in funcs if a in sizes and info[a]["sp"] == sizes[a])
        more = sum(1 for a in funcs if a in sizes and info[a]["sp"] > sizes[a])
        print(f"prologue check: {same} equal, {more} over-approximated, {len(worse)} under", file=sys.stderr)
        for a, s, p in worse[:20]:
            print(f"  under: {name(a)}: llvm {s}, code {p}", file=sys.stderr)

    by_name = {}
    for a, (n, _, aliases) in funcs.items():
        for x in [n] + aliases:
            by_name[x] = a
    roots = [by_name[r] for r in (args.root or ["Reset"]) if r in by_name]
    if not roots:
        sys.exit(f"no root symbol found among {args.root or ['Reset']}")

    # The roots (the reset handler) run from the vector table only, never
    # through a pointer: a word of code or data that happens to equal a
    # root's address is a coincidence, not a call.
    taken = address_taken(elf, funcs, info) - set(roots)
    problems = []
    for a in funcs:
        for addr, line in info[a]["unknown_sp"]:  # noqa
            problems.append(f"{name(a)}: SP written in a way this script cannot size: {line}")

    # The call graph; an indirect site whose register holds a known
    # function gets that one, any other every address-taken function.
    edges = defaultdict(set)
    resolved, unresolved = 0, []
    for a in funcs:
        for t in info[a]["calls"]:
            if t in funcs:
                edges[a].add(t)
            else:
                problems.append(f"{name(a)}: call to {hex(t)}, not a function start")
        for site in info[a]["indirect"]:
            targets = resolve_indirect(elf, funcs, info[a], site)
            if targets is not None:
                edges[a] |= targets
                resolved += 1
                continue
            if not taken:
                problems.append(f"{name(a)}: indirect call with no address-taken function")
            edges[a] |= taken
            unresolved.append((a, site))

    # Reachable set, then cycles (Tarjan), then the longest path.
    reach, todo = set(), list(roots)
    while todo:
        a = todo.pop()
        if a in reach:
            continue
        reach.add(a)
        todo.extend(edges[a])
    index, low, onstack, stack, sccs, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(100000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    for r in roots:
        if r not in index:
            strong(r)
    cycles = [c for c in sccs if len(c) > 1 or c[0] in edges[c[0]]]
    for c in cycles:
        problems.append("recursion: " + " -> ".join(name(a) for a in c))

    best = {}

    def depth(a):
        if a in best:
            return best[a][0]
        best[a] = (frame[a], None)  # cycle guard (cycles are reported above)
        d, via = frame[a], None
        for t in edges[a]:
            x = frame[a] + depth(t)
            if x > d:
                d, via = x, t
        best[a] = (d, via)
        return d

    total = max(depth(r) for r in roots)
    root = max(roots, key=depth)
    path, a = [], root
    while a is not None:
        path.append(a)
        a = best[a][1]

    indirect_sites = sum(len(info[a]["indirect"]) for a in reach)
    open_sites = sum(1 for a, _ in unresolved if a in reach)
    print(f"static stack bound: {total} bytes from {name(root)}")
    print(f"functions reachable: {len(reach)}; indirect call sites: {indirect_sites} "
          f"({indirect_sites - open_sites} through a register holding one known function, "
          f"{open_sites} resolved to all {len(taken)} address-taken functions); frames from LLVM: "
          f"{sum(1 for a in reach if source[a] == 'llvm')}, from machine code: "
          f"{sum(1 for a in reach if source[a] == 'code')}")
    if args.markdown:
        print("\n| depth | frame | function |\n|---:|---:|---|")
    cum = 0
    for a in path:
        cum += frame[a]
        n = name(a)
        if args.markdown:
            print(f"| {cum} | {frame[a]} | `{n}` |")
        else:
            print(f"  {cum:7d} {frame[a]:6d} {source[a]:4s} {n}")
    if args.top:
        print(f"\nlargest frames (reachable):")
        for a in sorted(reach, key=lambda a: -frame[a])[: args.top]:
            print(f"  {frame[a]:6d} {source[a]:4s} {name(a)}")
    if args.indirect:
        print("\naddress-taken functions:")
        for a in sorted(taken, key=name):
            print(f"  {frame[a]:6d} {name(a)}")
        print("indirect call sites resolved to every address-taken function (reachable):")
        for a, site in unresolved:
            if a in reach:
                print(f"  {name(a)}: {site[1]}")
    if args.callers:
        print(f"\ncallers of {args.callers}:")
        for a in sorted(reach, key=name):
            hits = [t for t in info[a]["calls"] if t in funcs and args.callers in name(t)]
            if hits:
                print(f"  {name(a)} -> {', '.join(sorted(set(name(t) for t in hits)))}")
    for p in problems:
        print("problem: " + p, file=sys.stderr)
    failed = bool(cycles) or any("no address-taken" in p for p in problems)
    if args.budget is not None and total > args.budget:
        print(f"FAIL: {total} > budget {args.budget}", file=sys.stderr)
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Code size per function of a WASM file, grouped by the first `depth` parts of its Rust path
(from the name section). Usage: wasm-sizes.py FILE [depth] [rows]."""
import sys, re, collections

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def demangle_path(n):
    # legacy Rust mangling: _ZN<len><ident>...E
    m = re.match(r'_ZN(.*)E$', n)
    if not m: return [n]
    s = m.group(1); parts = []; i = 0
    while i < len(s) and s[i].isdigit():
        j = i
        while s[j].isdigit(): j += 1
        l = int(s[i:j]); parts.append(s[j:j+l]); i = j + l
    return parts

b = open(sys.argv[1], 'rb').read()
i = 8; imports = 0; bodies = []; names = {}
while i < len(b):
    sid = b[i]; i += 1
    size, i = leb(b, i); end = i + size
    if sid == 2:  # imports: count function imports
        n, j = leb(b, i)
        for _ in range(n):
            l, j = leb(b, j); j += l
            l, j = leb(b, j); j += l
            kind = b[j]; j += 1
            if kind == 0: _, j = leb(b, j); imports += 1
            elif kind == 1: j += 1; fl = b[j]; j += 1; _, j = leb(b, j); j = leb(b, j)[1] if fl & 1 else j
            elif kind == 2: fl = b[j]; j += 1; _, j = leb(b, j); j = leb(b, j)[1] if fl & 1 else j
            elif kind == 3: j += 2
    elif sid == 10:
        n, j = leb(b, i)
        for _ in range(n):
            l, j2 = leb(b, j); bodies.append(l + (j2 - j)); j = j2 + l
    elif sid == 0:
        l, j = leb(b, i); name = b[j:j+l].decode(); j += l
        if name == 'name':
            while j < end:
                sub = b[j]; j += 1; ss, j = leb(b, j); se = j + ss
                if sub == 1:
                    n, k = leb(b, j)
                    for _ in range(n):
                        idx, k = leb(b, k); l, k = leb(b, k); names[idx] = b[k:k+l].decode('utf8', 'replace'); k += l
                j = se
    i = end

total = sum(bodies)
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 1
groups = collections.Counter(); counts = collections.Counter()
for k, sz in enumerate(bodies):
    n = names.get(k + imports, '?')
    p = demangle_path(n)
    # generic instantiations: <T as Trait>::f → use the first path
    key = '::'.join(p[:depth]) if p else n
    key = re.sub(r'\$LT\$|\$GT\$|\$u20\$|_\$LT\$', '', key)
    groups[key] += sz; counts[key] += 1
print(f"code section: {total/1024:.0f} KiB in {len(bodies)} functions, {len(names)} named")
for k, v in groups.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 40):
    print(f"{v/1024:8.1f} KiB {counts[k]:6d}  {k[:120]}")

#!/usr/bin/env python3
"""Lists import cycles between the modules of a crate (each file is a module).

usage: scripts/module-cycles.py crates/server/src [more src dirs]
A path `crate::a::b::Item`, `super::x`, `self::x` or, inside a folder's mod.rs, a child
`x::Item` is an edge to the deepest module it names. Test modules (`#[cfg(test)]` and
what follows) are left out: they may look anywhere. Exit code 1 when there is a cycle.
"""
import os, re, sys

def modules(src):
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith('.rs'):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)[:-3].split(os.sep)
            if rel[-1] == 'mod' or rel == ['lib'] or rel == ['main']:
                rel = rel[:-1]
            if f in ('main.rs',) and len(rel) == 0:
                continue
            mods[tuple(rel)] = os.path.join(dirpath, f)
    return mods

def deepest(mods, path):
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in mods:
            return tuple(path[:n])
    return None

def edges(mods, me, text):
    text = text.split('#[cfg(test)]')[0]
    text = re.sub(r'//.*', '', text)
    out = set()
    # expand `use x::{a, b::{c}}` groups into paths
    def expand(prefix, body):
        items, depth, cur = [], 0, ''
        for c in body:
            depth += c == '{'
            depth -= c == '}'
            if c == ',' and depth == 0:
                items.append(cur.strip()); cur = ''
            else:
                cur += c
        items.append(cur.strip())
        paths = []
        for it in filter(None, items):
            m = re.match(r'^([\w:]*?)(?:::)?\{(.*)\}$', it, re.S)
            if m:
                paths += expand(prefix + [p for p in m.group(1).split('::') if p], m.group(2))
            else:
                paths.append(prefix + it.split(' as ')[0].split('::'))
        return paths
    paths = []
    for m in re.finditer(r'\buse\s+([^;]+);', text):
        body = m.group(1).strip()
        mm = re.match(r'^([\w:]*?)(?:::)?\{(.*)\}$', body, re.S)
        paths += expand([p for p in mm.group(1).split('::') if p], mm.group(2)) if mm else [body.split('::')]
    paths += [p.split('::') for p in re.findall(r'\b(?:crate|super|self)(?:::\w+)+', text)]
    children = {m[-1] for m in mods if len(m) == len(me) + 1 and m[:len(me)] == me}
    paths += [p.split('::') for p in re.findall(r'(?<![\w:])(?:%s)(?:::\w+)+' % '|'.join(children), text)] if children else []
    for p in paths:
        p = [x.strip() for x in p]
        if p[0] == 'crate':
            full = p[1:]
        elif p[0] == 'super':
            base = list(me)
            while p and p[0] == 'super':
                base = base[:-1]; p = p[1:]
            full = base + p
        elif p[0] == 'self':
            full = list(me) + p[1:]
        elif p[0] in children:
            full = list(me) + p
        else:
            continue
        target = deepest(mods, full)
        if target is not None and target != me and target != ():
            out.add(target)
    return out

def main():
    found = False
    for src in sys.argv[1:]:
        mods = modules(src)
        graph = {m: edges(mods, m, open(f).read()) for m, f in mods.items() if m != ()}
        # Tarjan's strongly connected components.
        index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
        def visit(v):
            index[v] = low[v] = counter[0]; counter[0] += 1
            stack.append(v); on.add(v)
            for w in graph.get(v, ()):
                if w not in index:
                    visit(w); low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop(); on.discard(w); comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(comp)
        sys.setrecursionlimit(10000)
        for v in graph:
            if v not in index:
                visit(v)
        for comp in comps:
            found = True
            print(src + ': cycle: ' + ', '.join('::'.join(m) for m in sorted(comp)))
        if not comps:
            print(src + ': no cycles among %d modules' % len(graph))
    sys.exit(1 if found else 0)

main()

//! The layering rules of the source tree, checked by `cargo xtask test` (its
//! native phase runs this module's tests):
//!
//! - **No import cycle** between the modules of a crate (tests aside): if `a`
//!   uses `b`, nothing `b` uses, directly or through others, uses `a`. A
//!   module and its own ancestors are one unit here (a child may use its
//!   parent's items, a parent may re-export its children), so a folder module
//!   is judged as a whole against its siblings.
//! - **No source file over [`MAX_LINES`] lines**, tests aside, except the
//!   data tables named in [`DATA_TABLES`].
//!
//! Edges are read with `syn` from every `use` tree and every path that starts
//! with `crate`, `super`, `self` or a child module's name, in code that is not
//! under `#[cfg(test)]`. Paths inside macro invocations are not seen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The crates whose modules must not import each other in a cycle.
pub const CRATES: &[&str] = &[
    "core",
    "api",
    "worker",
    "dashboard",
    "widget",
    "cli",
    "xtask",
];

/// The longest a source file may be, tests aside.
pub const MAX_LINES: usize = 600;

/// Files that are tables of data, longer than [`MAX_LINES`] by nature, each
/// with why.
pub const DATA_TABLES: &[(&str, &str)] = &[
    (
        "core/src/words.rs",
        "every sentence of the widget and the hosted page in 42 languages",
    ),
    (
        "core/src/localized/cldr.rs",
        "generated from CLDR by core/cldr/generate.mjs",
    ),
];

/// A module's path inside its crate, `crate::a::b` as `["a", "b"]`.
type ModPath = Vec<String>;

/// The modules of a crate's `src`, by path, with their files.
fn modules(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = rel
                .with_extension("")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("lib" | "main" | "mod")
            ) {
                parts.pop();
            }
            found.insert(parts, path);
        }
    }
    found
}

/// Whether `attrs` hold `#[cfg(test)]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The paths one module names, resolved against where it is.
struct Uses<'a> {
    here: &'a ModPath,
    children: BTreeSet<String>,
    named: Vec<ModPath>,
}

impl Uses<'_> {
    /// `segments` as seen from this module, if it starts with `crate`,
    /// `super`, `self` or a child module.
    fn resolve(&self, segments: &[String]) -> Option<ModPath> {
        let first = segments.first()?;
        let mut base: ModPath = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.here.clone(),
            "super" => {
                let mut b = self.here.clone();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    b.pop();
                    rest = &rest[1..];
                }
                b.extend(rest.iter().cloned());
                return Some(b);
            }
            child if self.children.contains(child) => {
                let mut b = self.here.clone();
                b.push(child.to_owned());
                b.extend(segments[1..].iter().cloned());
                return Some(b);
            }
            _ => return None,
        };
        base.extend(segments[1..].iter().cloned());
        Some(base)
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.name(prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.name(prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.name(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    fn name(&mut self, segments: Vec<String>) {
        if let Some(p) = self.resolve(&segments) {
            self.named.push(p);
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            self.use_tree(&mut Vec::new(), &u.tree);
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.name(segments);
        syn::visit::visit_path(self, path);
    }
}

/// The module a named path lands in: its longest prefix that is a module.
fn landing(modules: &BTreeMap<ModPath, PathBuf>, path: &ModPath) -> Option<ModPath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains_key(p))
}

fn is_ancestor(a: &ModPath, b: &ModPath) -> bool {
    a.len() <= b.len() && b[..a.len()] == a[..]
}

/// Every module's imports of other modules of its crate (ancestors aside).
pub fn graph(src: &Path) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let modules = modules(src);
    let mut edges = BTreeMap::new();
    for (here, file) in &modules {
        let text = std::fs::read_to_string(file).expect("readable source");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let children = ast
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Mod(m) if !is_test(&m.attrs) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut uses = Uses {
            here,
            children,
            named: Vec::new(),
        };
        uses.visit_file(&ast);
        let targets: BTreeSet<ModPath> = uses
            .named
            .iter()
            .filter_map(|p| landing(&modules, p))
            .filter(|t| !is_ancestor(t, here) && !is_ancestor(here, t))
            .collect();
        edges.insert(here.clone(), targets);
    }
    edges
}

/// The strongly connected groups of more than one module (Tarjan).
pub fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        on_stack: BTreeSet<&'g ModPath>,
        found: Vec<Vec<ModPath>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g ModPath) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

/// A source file's length, tests aside: its lines before its `#[cfg(test)]
/// mod`.
pub fn lines_outside_tests(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod "))
        .unwrap_or(lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn name(p: &ModPath) -> String {
        std::iter::once("crate")
            .chain(p.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("::")
    }

    #[test]
    fn no_module_imports_itself_through_others() {
        let mut report = String::new();
        for krate in CRATES {
            let graph = graph(&root().join(krate).join("src"));
            for group in cycles(&graph) {
                report.push_str(&format!("\n{krate}: a cycle of {} modules:", group.len()));
                for m in &group {
                    let inside: Vec<String> = graph[m]
                        .iter()
                        .filter(|t| group.contains(t))
                        .map(name)
                        .collect();
                    report.push_str(&format!("\n  {} uses {}", name(m), inside.join(", ")));
                }
            }
        }
        assert!(report.is_empty(), "import cycles:{report}");
    }

    #[test]
    fn the_checker_sees_a_cycle() {
        // Two modules that use each other, one through a `use` group and one
        // through a path in an expression: the checker must find them.
        let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
        std::fs::write(
            dir.join("a/mod.rs"),
            "mod inner;\nuse crate::{b::{self}};\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("a/inner.rs"),
            "pub fn f() { super::super::c::g(); }\n",
        )
        .unwrap();
        std::fs::write(dir.join("b.rs"), "pub fn h() { crate::a::inner::f(); }\n").unwrap();
        std::fs::write(
            dir.join("c.rs"),
            "pub fn g() { crate::b::h(); }\n#[cfg(test)]\nmod tests { use crate::a; }\n",
        )
        .unwrap();
        let found = cycles(&graph(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<Vec<String>> = found.iter().map(|g| g.iter().map(name).collect()).collect();
        assert_eq!(
            names,
            vec![vec!["crate::a::inner", "crate::b", "crate::c"]]
                .into_iter()
                .map(|g| g.into_iter().map(String::from).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn no_source_file_is_over_the_limit() {
        let mut long = Vec::new();
        for krate in CRATES {
            for file in modules(&root().join(krate).join("src")).values() {
                let rel = file
                    .strip_prefix(root())
                    .unwrap_or(file)
                    .to_string_lossy()
                    .replace('\\', "/");
                if DATA_TABLES.iter().any(|(t, _)| rel.ends_with(t)) {
                    continue;
                }
                let n = lines_outside_tests(&std::fs::read_to_string(file).unwrap());
                if n > MAX_LINES {
                    long.push(format!("{rel}: {n} lines"));
                }
            }
        }
        assert!(
            long.is_empty(),
            "over {MAX_LINES} lines (tests aside):\n{}",
            long.join("\n")
        );
    }
}

//! URDNA2015, the RDF dataset canonicalisation that `RsaSignature2017` hashes
//! (<https://www.w3.org/community/reports/credentials/CG-FINAL-rdf-dataset-canonicalization-20221009/>).
//!
//! Written here rather than taken from a crate because the signature must match PeerTube's
//! byte for byte: the crates available (`rdf-canon`, oxrdf's `rdfc-10`) implement RDFC-1.0,
//! whose N-Quads escape tabs and other control characters where URDNA2015 as jsonld.js (which
//! PeerTube runs) writes them raw, and jsonld.js sorts lines by UTF-16 code units rather than
//! code points; both change the output and the blank-node hashes. RDFC-1.0 is still available
//! ([`Dialect::Rdfc10`]) for signers that moved to it (jsonld.js ≥ 9, RDF.rb).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// Upper bound on N-degree hashing steps, so that a crafted document (many symmetric blank
/// nodes) costs an error instead of factorial time.
const WORK_LIMIT: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Iri(String),
    /// A blank node identifier, without `_:`.
    Blank(String),
    Literal {
        value: String,
        datatype: String,
        language: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    pub subject: Term,
    pub predicate: String,
    pub object: Term,
    /// `None` is the default graph.
    pub graph: Option<Term>,
}

/// The two variants of the algorithm met in the fediverse; they differ only in how N-Quads
/// lines are escaped and sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// URDNA2015 as jsonld.js ≤ 8 (PeerTube) runs it: only `"`, `\`, LF and CR escaped, lines
    /// sorted by UTF-16 code units (JavaScript's default sort).
    Urdna2015,
    /// RDFC-1.0: control characters escaped as well (`\t`, `\b`, `\f`, `\uXXXX`), lines sorted
    /// by code point.
    Rdfc10,
}

#[derive(Debug, thiserror::Error)]
#[error("the dataset's blank nodes are too symmetric to canonicalise within the work limit")]
pub struct TooComplex;

/// Canonical N-Quads of `quads` (a set: duplicates are ignored), sorted, one per line.
pub fn canonicalize(quads: &[Quad], dialect: Dialect) -> Result<String, TooComplex> {
    let mut quads = quads.to_vec();
    quads.sort();
    quads.dedup();

    let mut blank_quads: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (index, quad) in quads.iter().enumerate() {
        for id in blank_ids(quad) {
            let list = blank_quads.entry(id.to_owned()).or_insert_with(|| {
                order.push(id.to_owned());
                Vec::new()
            });
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }

    let mut state = State {
        quads: &quads,
        blank_quads,
        first_degree: HashMap::new(),
        canonical: Issuer::new("_:c14n"),
        dialect,
        work: 0,
    };

    let mut by_hash: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in &order {
        let hash = state.hash_first_degree(id);
        state.first_degree.insert(id.clone(), hash.clone());
        by_hash.entry(hash).or_default().push(id.clone());
    }

    let mut shared = Vec::new();
    for ids in by_hash.into_values() {
        if let [id] = ids.as_slice() {
            state.canonical.issue(id);
        } else {
            shared.push(ids);
        }
    }

    for ids in shared {
        let mut results = Vec::new();
        for id in &ids {
            if state.canonical.get(id).is_some() {
                continue;
            }
            let mut temporary = Issuer::new("_:b");
            temporary.issue(id);
            results.push(state.hash_n_degree(id, temporary)?);
        }
        results.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, issuer) in results {
            for id in &issuer.order {
                state.canonical.issue(id);
            }
        }
    }

    let mut lines: Vec<String> = quads
        .iter()
        .map(|quad| {
            let mut line = String::new();
            write_quad(&mut line, quad, dialect, |id| {
                state
                    .canonical
                    .get(id)
                    .map_or_else(|| format!("_:{id}"), str::to_owned)
            });
            line
        })
        .collect();
    sort_lines(&mut lines, dialect);
    Ok(lines.concat())
}

struct State<'a> {
    quads: &'a [Quad],
    blank_quads: HashMap<String, Vec<usize>>,
    first_degree: HashMap<String, String>,
    canonical: Issuer,
    dialect: Dialect,
    work: usize,
}

impl State<'_> {
    fn quads_of(&self, id: &str) -> impl Iterator<Item = &Quad> {
        self.blank_quads
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|&index| self.quads.get(index))
    }

    fn hash_first_degree(&self, reference: &str) -> String {
        let mut lines: Vec<String> = self
            .quads_of(reference)
            .map(|quad| {
                let mut line = String::new();
                write_quad(&mut line, quad, self.dialect, |id| {
                    if id == reference { "_:a" } else { "_:z" }.to_owned()
                });
                line
            })
            .collect();
        sort_lines(&mut lines, self.dialect);
        sha256_hex(lines.concat().as_bytes())
    }

    fn hash_related(&self, related: &str, quad: &Quad, issuer: &Issuer, position: char) -> String {
        let id = self
            .canonical
            .get(related)
            .or_else(|| issuer.get(related))
            .or_else(|| self.first_degree.get(related).map(String::as_str))
            .unwrap_or_default();
        let mut input = String::new();
        input.push(position);
        if position != 'g' {
            input.push('<');
            input.push_str(&quad.predicate);
            input.push('>');
        }
        input.push_str(id);
        sha256_hex(input.as_bytes())
    }

    fn hash_n_degree(
        &mut self,
        id: &str,
        mut issuer: Issuer,
    ) -> Result<(String, Issuer), TooComplex> {
        self.spend()?;
        let mut by_hash: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for quad in self.quads_of(id) {
            let positions = [
                ('s', Some(&quad.subject)),
                ('o', Some(&quad.object)),
                ('g', quad.graph.as_ref()),
            ];
            for (position, term) in positions {
                if let Some(Term::Blank(related)) = term
                    && related != id
                {
                    let hash = self.hash_related(related, quad, &issuer, position);
                    by_hash.entry(hash).or_default().push(related.clone());
                }
            }
        }

        let mut data = String::new();
        for (related_hash, related) in by_hash {
            data.push_str(&related_hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut permutation: Vec<usize> = (0..related.len()).collect();
            loop {
                self.spend()?;
                if let Some((path, issuer_copy)) =
                    self.try_permutation(&permutation, &related, &issuer, &chosen_path)?
                    && (chosen_path.is_empty() || path < chosen_path)
                {
                    chosen_path = path;
                    chosen_issuer = Some(issuer_copy);
                }
                if !next_permutation(&mut permutation) {
                    break;
                }
            }
            data.push_str(&chosen_path);
            if let Some(chosen) = chosen_issuer {
                issuer = chosen;
            }
        }
        Ok((sha256_hex(data.as_bytes()), issuer))
    }

    /// The path of one permutation of related blank nodes, or `None` once it can no longer
    /// beat `chosen_path`.
    fn try_permutation(
        &mut self,
        permutation: &[usize],
        related: &[String],
        issuer: &Issuer,
        chosen_path: &str,
    ) -> Result<Option<(String, Issuer)>, TooComplex> {
        let mut issuer_copy = issuer.clone();
        let mut path = String::new();
        let mut recursion = Vec::new();
        for node in permutation.iter().filter_map(|&i| related.get(i)) {
            if let Some(canonical) = self.canonical.get(node) {
                path.push_str(canonical);
            } else {
                if issuer_copy.get(node).is_none() {
                    recursion.push(node);
                }
                path.push_str(&issuer_copy.issue(node));
            }
            if !chosen_path.is_empty() && path.as_str() > chosen_path {
                return Ok(None);
            }
        }
        for node in recursion {
            let (hash, result_issuer) = self.hash_n_degree(node, issuer_copy.clone())?;
            path.push_str(&issuer_copy.issue(node));
            path.push('<');
            path.push_str(&hash);
            path.push('>');
            issuer_copy = result_issuer;
            if !chosen_path.is_empty() && path.as_str() > chosen_path {
                return Ok(None);
            }
        }
        Ok(Some((path, issuer_copy)))
    }

    fn spend(&mut self) -> Result<(), TooComplex> {
        self.work += 1;
        if self.work > WORK_LIMIT {
            Err(TooComplex)
        } else {
            Ok(())
        }
    }
}

/// Issues `prefix0`, `prefix1`, … in first-request order.
#[derive(Clone)]
struct Issuer {
    prefix: &'static str,
    issued: HashMap<String, String>,
    order: Vec<String>,
}

impl Issuer {
    fn new(prefix: &'static str) -> Self {
        Self {
            prefix,
            issued: HashMap::new(),
            order: Vec::new(),
        }
    }

    fn get(&self, id: &str) -> Option<&str> {
        self.issued.get(id).map(String::as_str)
    }

    fn issue(&mut self, id: &str) -> String {
        if let Some(issued) = self.issued.get(id) {
            return issued.clone();
        }
        let issued = format!("{}{}", self.prefix, self.order.len());
        self.issued.insert(id.to_owned(), issued.clone());
        self.order.push(id.to_owned());
        issued
    }
}

/// Lexicographic successor of `indices`; false once the last permutation has been produced.
fn next_permutation(indices: &mut [usize]) -> bool {
    let Some(pivot) = indices.windows(2).rposition(|w| w[0] < w[1]) else {
        return false;
    };
    let Some(successor) = indices.iter().rposition(|&x| x > indices[pivot]) else {
        return false;
    };
    indices.swap(pivot, successor);
    indices[pivot + 1..].reverse();
    true
}

fn blank_ids(quad: &Quad) -> impl Iterator<Item = &str> {
    [Some(&quad.subject), Some(&quad.object), quad.graph.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|term| match term {
            Term::Blank(id) => Some(id.as_str()),
            _ => None,
        })
}

/// One N-Quads line; `label` maps a blank node identifier to the label written (with `_:`).
fn write_quad(out: &mut String, quad: &Quad, dialect: Dialect, label: impl Fn(&str) -> String) {
    write_term(out, &quad.subject, dialect, &label);
    out.push_str(" <");
    out.push_str(&quad.predicate);
    out.push_str("> ");
    write_term(out, &quad.object, dialect, &label);
    if let Some(graph) = &quad.graph {
        out.push(' ');
        write_term(out, graph, dialect, &label);
    }
    out.push_str(" .\n");
}

fn write_term(out: &mut String, term: &Term, dialect: Dialect, label: &impl Fn(&str) -> String) {
    match term {
        Term::Iri(iri) => {
            out.push('<');
            out.push_str(iri);
            out.push('>');
        }
        Term::Blank(id) => out.push_str(&label(id)),
        Term::Literal {
            value,
            datatype,
            language,
        } => {
            out.push('"');
            escape(out, value, dialect);
            out.push('"');
            match language {
                Some(language) if datatype == RDF_LANG_STRING => {
                    out.push('@');
                    out.push_str(language);
                }
                _ if datatype != XSD_STRING => {
                    out.push_str("^^<");
                    out.push_str(datatype);
                    out.push('>');
                }
                _ => {}
            }
        }
    }
}

fn escape(out: &mut String, value: &str, dialect: Dialect) {
    for c in value.chars() {
        match (c, dialect) {
            ('"', _) => out.push_str("\\\""),
            ('\\', _) => out.push_str("\\\\"),
            ('\n', _) => out.push_str("\\n"),
            ('\r', _) => out.push_str("\\r"),
            (_, Dialect::Urdna2015) => out.push(c),
            ('\t', Dialect::Rdfc10) => out.push_str("\\t"),
            ('\u{8}', Dialect::Rdfc10) => out.push_str("\\b"),
            ('\u{C}', Dialect::Rdfc10) => out.push_str("\\f"),
            ('\0'..='\u{1F}' | '\u{7F}', Dialect::Rdfc10) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            (_, Dialect::Rdfc10) => out.push(c),
        }
    }
}

fn sort_lines(lines: &mut [String], dialect: Dialect) {
    match dialect {
        Dialect::Urdna2015 => lines.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16())),
        Dialect::Rdfc10 => lines.sort(),
    }
}

/// Whether the two dialects may treat `value` differently: a control character other than LF
/// and CR (escaping) or one outside the BMP (UTF-16 order differs from code point order).
pub fn dialects_differ(value: &str) -> bool {
    value.chars().any(|c| {
        (matches!(c, '\0'..='\u{1F}' | '\u{7F}') && c != '\n' && c != '\r') || c > '\u{FFFF}'
    })
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> Term {
        Term::Iri(s.to_owned())
    }

    fn blank(s: &str) -> Term {
        Term::Blank(s.to_owned())
    }

    fn quad(s: Term, p: &str, o: Term) -> Quad {
        Quad {
            subject: s,
            predicate: p.to_owned(),
            object: o,
            graph: None,
        }
    }

    fn plain(value: &str) -> Term {
        Term::Literal {
            value: value.to_owned(),
            datatype: XSD_STRING.to_owned(),
            language: None,
        }
    }

    #[test]
    fn permutations_are_all_visited() {
        let mut p = vec![0, 1, 2, 3];
        let mut count = 1;
        while next_permutation(&mut p) {
            count += 1;
        }
        assert_eq!(count, 24);
        assert_eq!(p, vec![3, 2, 1, 0]);
    }

    #[test]
    fn labels_do_not_depend_on_input_names() {
        // A chain and a cycle of blank nodes, named two different ways.
        let build = |a: &str, b: &str, c: &str| {
            vec![
                quad(blank(a), "http://ex/p", blank(b)),
                quad(blank(b), "http://ex/p", blank(c)),
                quad(blank(c), "http://ex/p", blank(a)),
                quad(iri("http://ex/s"), "http://ex/q", blank(b)),
            ]
        };
        let one = canonicalize(&build("x", "y", "z"), Dialect::Urdna2015);
        let two = canonicalize(&build("k2", "k0", "k1"), Dialect::Urdna2015);
        let (Ok(one), Ok(two)) = (one, two) else {
            panic!("canonicalisation failed");
        };
        assert_eq!(one, two);
        assert!(one.contains("<http://ex/s> <http://ex/q> _:c14n"));
        assert!(!one.contains("_:x") && !one.contains("_:k"));
    }

    #[test]
    fn symmetric_blank_nodes_are_canonicalised() {
        // Two isomorphic blank-node pairs: first-degree hashes collide, N-degree hashing decides.
        let build = |names: [&str; 4]| {
            vec![
                quad(blank(names[0]), "http://ex/p", blank(names[1])),
                quad(blank(names[1]), "http://ex/p", blank(names[0])),
                quad(blank(names[2]), "http://ex/p", blank(names[3])),
                quad(blank(names[3]), "http://ex/p", blank(names[2])),
            ]
        };
        let one = canonicalize(&build(["a", "b", "c", "d"]), Dialect::Urdna2015);
        let two = canonicalize(&build(["d", "a", "b", "c"]), Dialect::Urdna2015);
        let (Ok(one), Ok(two)) = (one, two) else {
            panic!("canonicalisation failed");
        };
        assert_eq!(one, two);
        assert_eq!(one.lines().count(), 4);
    }

    #[test]
    fn dialects_differ_on_control_characters() {
        let quads = [quad(iri("http://ex/s"), "http://ex/p", plain("a\tb\"c\nd"))];
        let (Ok(urdna), Ok(rdfc)) = (
            canonicalize(&quads, Dialect::Urdna2015),
            canonicalize(&quads, Dialect::Rdfc10),
        ) else {
            panic!("canonicalisation failed");
        };
        assert_eq!(urdna, "<http://ex/s> <http://ex/p> \"a\tb\\\"c\\nd\" .\n");
        assert_eq!(rdfc, "<http://ex/s> <http://ex/p> \"a\\tb\\\"c\\nd\" .\n");
        assert!(dialects_differ("a\tb"));
        assert!(dialects_differ("a😀b"));
        assert!(!dialects_differ("a\nb é"));
    }

    #[test]
    fn literal_forms() {
        let quads = [
            quad(
                iri("http://ex/s"),
                "http://ex/p",
                Term::Literal {
                    value: "hi".to_owned(),
                    datatype: RDF_LANG_STRING.to_owned(),
                    language: Some("en".to_owned()),
                },
            ),
            quad(
                iri("http://ex/s"),
                "http://ex/q",
                Term::Literal {
                    value: "5".to_owned(),
                    datatype: "http://www.w3.org/2001/XMLSchema#integer".to_owned(),
                    language: None,
                },
            ),
        ];
        let Ok(out) = canonicalize(&quads, Dialect::Urdna2015) else {
            panic!("canonicalisation failed");
        };
        assert_eq!(
            out,
            "<http://ex/s> <http://ex/p> \"hi\"@en .\n\
             <http://ex/s> <http://ex/q> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        );
    }

    #[test]
    fn urdna2015_sorts_like_javascript() {
        // U+FF01 sorts after an emoji in UTF-16 (surrogates are 0xD800..) but before it by code point.
        let quads = [
            quad(iri("http://ex/s"), "http://ex/p", plain("\u{FF01}")),
            quad(iri("http://ex/s"), "http://ex/p", plain("\u{1F600}")),
        ];
        let (Ok(js), Ok(rdfc)) = (
            canonicalize(&quads, Dialect::Urdna2015),
            canonicalize(&quads, Dialect::Rdfc10),
        ) else {
            panic!("canonicalisation failed");
        };
        assert!(js.starts_with("<http://ex/s> <http://ex/p> \"\u{1F600}\""));
        assert!(rdfc.starts_with("<http://ex/s> <http://ex/p> \"\u{FF01}\""));
    }

    #[test]
    fn poison_graphs_fail_fast() {
        // Every blank node linked to every other: N-degree hashing would take factorial time.
        let n = 12;
        let mut quads = Vec::new();
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    quads.push(quad(
                        blank(&format!("n{a}")),
                        "http://ex/p",
                        blank(&format!("n{b}")),
                    ));
                }
            }
        }
        let start = std::time::Instant::now();
        assert!(canonicalize(&quads, Dialect::Urdna2015).is_err());
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }
}

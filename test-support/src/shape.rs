//! Compares two JSON documents field by field: same names, same JSON types (ours against
//! PeerTube's captures, whose values differ by host, date and key).

use serde_json::Value;

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every difference in names or types between `ours` and `theirs`, by path. `ignore` lists
/// paths (like `metadata.nodeConfig`) whose contents are not compared.
pub fn differences(ours: &Value, theirs: &Value, ignore: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    walk("", ours, theirs, ignore, &mut out);
    out
}

fn walk(path: &str, ours: &Value, theirs: &Value, ignore: &[&str], out: &mut Vec<String>) {
    if ignore.contains(&path) {
        return;
    }
    if kind(ours) != kind(theirs) {
        out.push(format!(
            "{path}: ours is {}, PeerTube's is {}",
            kind(ours),
            kind(theirs)
        ));
        return;
    }
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for k in b.keys() {
                if !a.contains_key(k) {
                    out.push(format!("{path}.{k}: missing in ours"));
                }
            }
            for k in a.keys() {
                if !b.contains_key(k) {
                    out.push(format!("{path}.{k}: not in PeerTube's"));
                }
            }
            for (k, bv) in b {
                if let Some(av) = a.get(k) {
                    walk(&join(path, k), av, bv, ignore, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                walk(&format!("{path}[]"), x, y, ignore, out);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn assert_same_shape(ours: &Value, theirs: &Value, ignore: &[&str]) {
    let d = differences(ours, theirs, ignore);
    assert!(
        d.is_empty(),
        "shape differs from PeerTube's:\n{}\nours: {ours}",
        d.join("\n")
    );
}

//! Validation benchmark (issue 3): not written yet.

fn main() {}

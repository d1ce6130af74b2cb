//! The named example queries of `queries/`, offered on the query page.
//!
//! Each `.rq` file opens with a comment saying what it answers and which bindings it returns; the
//! page shows the first part as the example's description. Queries that only the pages use say
//! `Parameters (bound by the page)`; they are not examples.

/// One named example query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The file name without `.rq`, used in `?example=` links.
    pub name: &'static str,
    /// The query text, with its leading comment.
    pub text: &'static str,
}

macro_rules! example {
    ($name:literal) => {
        Example {
            name: $name,
            text: include_str!(concat!("../../queries/", $name, ".rq")),
        }
    };
}

/// Every example, in the order the query page lists them.
pub const EXAMPLES: &[Example] = &[
    example!("open-consultations"),
    example!("overdue-reports"),
    example!("proposals-past-term"),
    example!("latest-meetings"),
    example!("decisions-of-a-meeting"),
    example!("decisions-informed-by-consultations"),
    example!("report-answers-by-effect"),
];

impl Example {
    /// Finds an example by name.
    pub fn named(name: &str) -> Option<&'static Example> {
        EXAMPLES.iter().find(|example| example.name == name)
    }

    /// What the query answers: its leading comment up to the `Bindings:` line, as one sentence.
    pub fn description(&self) -> String {
        self.text
            .lines()
            .map_while(|line| line.strip_prefix('#'))
            .map(str::trim)
            .take_while(|line| !line.starts_with("Bindings:"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_file_is_an_example_or_a_page_template() {
        let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
        for entry in std::fs::read_dir(directory).expect("queries/ exists") {
            let path = entry.expect("readable entry").path();
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).expect("readable query");
            assert!(text.starts_with("# "), "{name}.rq must open with a comment");
            let template = text.contains("# Parameters (bound by the page");
            assert!(
                template || Example::named(name).is_some(),
                "{name}.rq is neither listed in EXAMPLES nor a page template"
            );
        }
    }

    #[test]
    fn descriptions_stop_before_the_bindings() {
        let example = Example::named("overdue-reports").expect("listed");
        let description = example.description();
        assert!(description.starts_with("Consultations whose report is overdue"));
        assert!(!description.contains("Bindings"));
    }
}

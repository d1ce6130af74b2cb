//! Synthetic data sets for benchmarks and tests: `agora generate`.
//!
//! [`write_dataset`] writes N-Quads, one named graph per record, each record's quads together, in
//! the shape of the demo records (`fixtures/demo`, `ontology/README.md`). It simulates the
//! Flemish Government week by week, going back in time from the meeting of 2026-11-20: every
//! week one Ministerraad meeting with its agenda items, decisions, news items and documents,
//! about four citizens' proposals, every other week a consultation (and, once closed, mostly its
//! report), and every few weeks a decision-making case that consultations feed. Before the
//! first week come the fixed records everything refers to: the government with its ministers,
//! and the organisations.
//!
//! The output is a pure function of the seed and the size: random choices come from a
//! hand-written generator ([`rng`]) and no clock is read. Memory does not grow with the size:
//! records are written one by one, and only small pools of URIs (ministers, organisations,
//! recent cases and consultations) are kept for cross-references, which always point to records
//! written earlier in the file.

mod case;
mod codes;
mod consultation;
mod date;
mod document;
mod fixed;
mod meeting;
mod proposal;
mod report;
mod rng;
mod sink;
mod terms;
mod text;
mod world;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use crate::generate::codes::Codes;
use crate::generate::date::Day;
use crate::generate::rng::Rng;
use crate::generate::sink::RecordWriter;
use crate::model::BaseIri;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Approximate number of triples: generation stops after the first whole record that
    /// reaches it.
    pub triples: u64,
    /// Seed of the pseudo-random generator; the same seed and size give the same bytes.
    pub seed: u64,
    /// Base IRI under which resources and record graphs are named.
    pub base: BaseIri,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerateStats {
    /// Records (named graphs) written.
    pub records: u64,
    /// Triples (quads) written.
    pub triples: u64,
}

/// The simulated "today": statuses of consultations and proposals are as seen on this day.
const TODAY: Day = Day::from_civil(2026, 11, 23);
/// The newest meeting, a Friday; earlier weeks count back from it.
const LAST_MEETING: Day = Day::from_civil(2026, 11, 20);
/// A case is opened every third week.
const CASE_EVERY_WEEKS: u64 = 3;
/// A consultation starts every other week.
const CONSULTATION_EVERY_WEEKS: u64 = 2;
/// Citizens' proposals per week: uniformly 2 to 6, so about 4.
const PROPOSALS_PER_WEEK: (i64, i64) = (2, 6);

/// A case that consultations may feed.
#[derive(Debug, Clone)]
struct CaseRef {
    iri: String,
    theme: usize,
    opened: Day,
}

/// A closed consultation that decisions may have been informed by.
#[derive(Debug, Clone)]
struct ConsultationRef {
    iri: String,
    theme: usize,
    subject: usize,
    closed: Day,
    page: String,
}

/// Cases kept for consultations to feed; older ones are dropped (only their URIs are kept, so
/// this bounds memory whatever the size).
const CASE_POOL: usize = 8;
/// Closed consultations kept for decisions to refer to.
const CONSULTATION_POOL: usize = 16;

/// Everything the record writers share: randomness, the writer, code lists and the pools.
struct Context {
    rng: Rng,
    writer: RecordWriter,
    codes: Codes,
    governing_body: String,
    mandatees: Vec<String>,
    organisations: Vec<String>,
    cases: Vec<CaseRef>,
    consultations: Vec<ConsultationRef>,
    /// Running number of agenda documents, for Kaleidos-like file names.
    documents: u64,
    /// Running number of consultations, for unique web pages and the first, fixed statuses.
    consultation_count: u64,
}

impl Context {
    /// Keeps `case` for later consultations, dropping the oldest beyond [`CASE_POOL`].
    fn remember_case(&mut self, case: CaseRef) {
        if self.cases.len() == CASE_POOL {
            self.cases.remove(0);
        }
        self.cases.push(case);
    }

    /// Keeps `consultation` for later decisions, dropping the oldest beyond [`CONSULTATION_POOL`].
    fn remember_consultation(&mut self, consultation: ConsultationRef) {
        if self.consultations.len() == CONSULTATION_POOL {
            self.consultations.remove(0);
        }
        self.consultations.push(consultation);
    }
}

/// Writes records to the output and stops at the first whole record past the target.
struct Run<W: Write> {
    out: W,
    context: Context,
    stats: GenerateStats,
    target: u64,
}

impl<W: Write> Run<W> {
    /// Hands the finished record to the output; true once the target is reached.
    fn emit(&mut self) -> io::Result<bool> {
        let triples = self.context.writer.finish(&mut self.out)?;
        self.stats.records += 1;
        self.stats.triples += triples;
        Ok(self.stats.triples >= self.target)
    }

    /// The fixed records: the government with its ministers, then the organisations.
    fn fixed(&mut self) -> io::Result<bool> {
        fixed::governing_body(&mut self.context);
        if self.emit()? {
            return Ok(true);
        }
        for index in 0..world::ORGANISATIONS.len() {
            fixed::organisation(&mut self.context, index);
            if self.emit()? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The records of week `week` (0 is the newest); true once the target is reached. Cases
    /// come before the consultations that feed them, and consultations before the meeting
    /// whose decisions they inform, so references always point backwards in the file.
    fn week(&mut self, week: u64) -> io::Result<bool> {
        let day = LAST_MEETING.plus(-7 * week as i64);
        if week % CASE_EVERY_WEEKS == 0 {
            case::write(&mut self.context, day);
            if self.emit()? {
                return Ok(true);
            }
        }
        if week % CONSULTATION_EVERY_WEEKS == 0 {
            let report = consultation::write(&mut self.context, day);
            if self.emit()? {
                return Ok(true);
            }
            if let Some(report) = report {
                report::write(&mut self.context, &report);
                if self.emit()? {
                    return Ok(true);
                }
            }
        }
        let remaining = self.target.saturating_sub(self.stats.triples);
        meeting::write(&mut self.context, day, remaining);
        if self.emit()? {
            return Ok(true);
        }
        let (low, high) = PROPOSALS_PER_WEEK;
        for _ in 0..self.context.rng.range(low, high) {
            proposal::write(&mut self.context, day);
            if self.emit()? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Writes the data set as N-Quads to `out` and says how much was written.
///
/// Fails only when `out` fails, or when the embedded reference data lacks a code-list concept
/// the generator uses (a build error that the tests catch).
pub fn write_dataset<W: Write>(out: W, options: &GenerateOptions) -> io::Result<GenerateStats> {
    if options.triples == 0 {
        return Ok(GenerateStats::default());
    }
    let reference = crate::demo::reference_triples().map_err(io::Error::other)?;
    let codes = Codes::resolve(&reference)?;
    drop(reference);
    let context = Context {
        rng: Rng::new(options.seed),
        writer: RecordWriter::new(&options.base),
        codes,
        governing_body: String::new(),
        mandatees: Vec::new(),
        organisations: Vec::new(),
        cases: Vec::new(),
        consultations: Vec::new(),
        documents: 0,
        consultation_count: 0,
    };
    let mut run = Run {
        out,
        context,
        stats: GenerateStats::default(),
        target: options.triples,
    };
    if !run.fixed()? {
        // Every week writes at least a meeting, so the loop always ends.
        let mut week = 0;
        while !run.week(week)? {
            week += 1;
        }
    }
    Ok(run.stats)
}

//! Tests of the generator as a whole: determinism, size, the record shape `ingest` expects,
//! cross-references and the absence of personal data on proposals.

use std::collections::{HashMap, HashSet};
use std::error::Error;

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};

use super::*;
use crate::ingest::RecordStream;
use crate::model::{Record, RecordKind};

type TestResult = Result<(), Box<dyn Error>>;

fn generate(triples: u64, seed: u64) -> Result<(Vec<u8>, GenerateStats), Box<dyn Error>> {
    let options = GenerateOptions {
        triples,
        seed,
        base: BaseIri::parse("https://agora.vlaanderen.be")?,
    };
    let mut bytes = Vec::new();
    let stats = write_dataset(&mut bytes, &options)?;
    Ok((bytes, stats))
}

fn records(bytes: &[u8]) -> Result<Vec<Record>, Box<dyn Error>> {
    let stream = RecordStream::new(bytes, RdfFormat::NQuads, "gen");
    Ok(stream.collect::<Result<Vec<_>, _>>()?)
}

#[test]
fn same_seed_and_size_give_the_same_bytes() -> TestResult {
    let (first, _) = generate(20_000, 7)?;
    let (second, _) = generate(20_000, 7)?;
    assert!(first == second, "two runs with seed 7 differ");
    let (other, _) = generate(20_000, 8)?;
    assert!(first != other, "seeds 7 and 8 give the same data");
    Ok(())
}

#[test]
fn size_lands_just_above_the_target() -> TestResult {
    for target in [1_000, 20_000, 50_000] {
        let (bytes, stats) = generate(target, 1)?;
        let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
        assert_eq!(lines, stats.triples);
        assert!(stats.triples >= target, "{} < {target}", stats.triples);
        let slack = if target < 10_000 {
            target / 10
        } else {
            target / 25
        };
        assert!(
            stats.triples <= target + slack,
            "{} is too far above {target}",
            stats.triples
        );
    }
    assert_eq!(generate(0, 1)?.1, GenerateStats::default());
    Ok(())
}

#[test]
fn every_graph_is_one_record_with_a_root() -> TestResult {
    let (bytes, stats) = generate(20_000, 3)?;
    let records = records(&bytes)?;
    assert_eq!(records.len() as u64, stats.records);
    let triples: usize = records.iter().map(|r| r.triples().len()).sum();
    assert_eq!(triples as u64, stats.triples);
    let kinds: HashSet<RecordKind> = records.iter().map(Record::kind).collect();
    for kind in [
        RecordKind::Meeting,
        RecordKind::ConsultationReport,
        RecordKind::Consultation,
        RecordKind::Proposal,
        RecordKind::Case,
        RecordKind::GoverningBody,
        RecordKind::Organisation,
    ] {
        assert!(kinds.contains(&kind), "no {kind} record");
    }
    Ok(())
}

#[test]
fn references_to_records_point_to_earlier_records() -> TestResult {
    let (bytes, _) = generate(30_000, 5)?;
    let records = records(&bytes)?;
    let position: HashMap<NamedNode, usize> = records
        .iter()
        .enumerate()
        .map(|(index, record)| (record.root().into_owned(), index))
        .collect();
    for (index, record) in records.iter().enumerate() {
        for triple in record.triples() {
            if let Term::NamedNode(object) = &triple.object {
                // A record may also refer to its own root (a dossier to its case).
                if let Some(target) = position.get(object) {
                    assert!(
                        *target <= index,
                        "{} refers forward to {object}",
                        record.root()
                    );
                }
            }
        }
    }
    Ok(())
}

#[test]
fn published_consultations_have_their_report() -> TestResult {
    let (bytes, _) = generate(40_000, 11)?;
    let records = records(&bytes)?;
    let published = "https://agora.vlaanderen.be/id/concept/consultatiestatus/a138c08f-99c8-4216-a5ab-2cd34006e87a";
    let reported: HashSet<String> = records
        .iter()
        .flat_map(|r| r.triples())
        .filter(|t| t.predicate.as_str().ends_with("#rapporteertOver"))
        .map(|t| t.object.to_string())
        .collect();
    let mut count = 0;
    for record in records
        .iter()
        .filter(|r| r.kind() == RecordKind::Consultation)
    {
        let status = record
            .triples()
            .iter()
            .find(|t| {
                t.subject.to_string() == record.root().to_string()
                    && t.predicate.as_str() == terms::STATUS
            })
            .map(|t| t.object.to_string());
        if status.as_deref() == Some(&format!("<{published}>")) {
            count += 1;
            assert!(
                reported.contains(&record.root().to_string()),
                "no report for {}",
                record.root()
            );
        }
    }
    assert!(count > 0, "no published consultation");
    Ok(())
}

#[test]
fn proposals_carry_no_personal_data() -> TestResult {
    let (bytes, _) = generate(20_000, 9)?;
    let personal = [
        "http://xmlns.com/foaf/0.1/name",
        "http://xmlns.com/foaf/0.1/givenName",
        "http://xmlns.com/foaf/0.1/familyName",
        "http://xmlns.com/foaf/0.1/mbox",
        "http://xmlns.com/foaf/0.1/phone",
        "http://schema.org/name",
        "http://schema.org/email",
        "http://schema.org/telephone",
        "http://schema.org/address",
        "https://data.vlaanderen.be/ns/persoon#gebruikteVoornaam",
        "http://www.w3.org/2006/vcard/ns#hasEmail",
        "http://www.w3.org/2006/vcard/ns#fn",
    ];
    let mut proposals = 0;
    for record in records(&bytes)? {
        if record.kind() != RecordKind::Proposal {
            continue;
        }
        proposals += 1;
        for triple in record.triples() {
            let predicate = triple.predicate.as_str();
            assert!(
                !personal.contains(&predicate),
                "{} has {predicate}",
                record.root()
            );
            assert!(
                !predicate.contains("vcard"),
                "{} has {predicate}",
                record.root()
            );
        }
    }
    assert!(proposals > 0, "no proposals generated");
    Ok(())
}

/// The object of `subject predicate ?` in `record`, as N-Triples text.
fn object_of(record: &Record, subject: &str, predicate: &str) -> Option<String> {
    record
        .triples()
        .iter()
        .find(|t| t.subject.to_string() == subject && t.predicate.as_str() == predicate)
        .map(|t| t.object.to_string())
}

/// The day (`YYYY-MM-DD`) of a date or dateTime literal; it compares correctly as text.
fn day_of(literal: &str) -> String {
    literal.trim_start_matches('"').chars().take(10).collect()
}

#[test]
fn statuses_agree_with_dates_and_feedback() -> TestResult {
    let (bytes, _) = generate(60_000, 13)?;
    let today = TODAY.to_string();
    let concept =
        |list: &str, uuid: &str| format!("<https://agora.vlaanderen.be/id/concept/{list}/{uuid}>");
    let planned = concept("consultatiestatus", "e5c51cfe-497b-4c49-8114-9e034bec2254");
    let open = concept("consultatiestatus", "958079a5-abfe-43da-91f5-68b7b0c29b0f");
    let closed = concept("consultatiestatus", "bda2a754-a507-40c4-a1c3-c8523d18fc8c");
    let answered = concept("voorstelstatus", "127d80d5-9cae-43a8-a6bb-12bee873910b");
    let mut seen = HashSet::new();
    for record in records(&bytes)? {
        let root = record.root().to_string();
        let get = |predicate| object_of(&record, &root, predicate).unwrap_or_default();
        let status = get(terms::STATUS);
        match record.kind() {
            RecordKind::Consultation => {
                let opens = day_of(&get(terms::OPENINGSTIJD));
                let closes = day_of(&get(terms::SLUITINGSTIJD));
                if status == planned {
                    assert!(opens > today, "{root} is planned but opened {opens}");
                } else if status == open {
                    assert!(
                        opens <= today && closes >= today,
                        "{root}: open {opens}..{closes}"
                    );
                } else if status == closed {
                    assert!(closes < today, "{root} is closed but closes {closes}");
                }
                seen.insert(status);
            }
            RecordKind::Proposal => {
                let feedback = !get(terms::HEEFT_TERUGKOPPELING).is_empty();
                let has_answer = status == answered
                    || status == concept("voorstelstatus", "59df7f2d-99af-478e-8623-35e61dade1c2");
                assert_eq!(feedback, has_answer, "{root}: status {status}");
                seen.insert(status);
            }
            _ => {}
        }
    }
    // Every consultation status and every proposal status occurs.
    assert_eq!(seen.len(), 5 + 4, "statuses seen: {seen:?}");
    Ok(())
}

//! How far the store has changed: a cheap marker that derived data (the search index) keeps to
//! know whether it is still in step with the store.

use oxigraph::model::Term;
use oxsdatatypes::DateTime;
use serde::{Deserialize, Serialize};

use crate::model::vocab;
use crate::store::backend::Read;
use crate::store::{Store, StoreError};

/// How many records the store holds and when the last of them changed. Every write, withdrawal
/// and embargo release rewrites its record's state with a new `dct:modified` time, so any change
/// moves the marker; derived data that recorded an equal marker has seen every change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChangeMarker {
    /// How many records the system graph knows (withdrawn and pending ones included).
    pub records: u64,
    /// The latest `dct:modified` of any record, as written (`xsd:dateTime`), if any.
    pub latest: Option<String>,
}

impl Store {
    /// The store's current [`ChangeMarker`]: one scan of the records' modification times in the
    /// system graph (an index range, one entry per record).
    pub fn change_marker(&self) -> Result<ChangeMarker, StoreError> {
        let mut records = 0;
        let mut latest: Option<DateTime> = None;
        for quad in self.view().quads_for_pattern(
            None,
            Some(vocab::DCT_MODIFIED),
            None,
            Some(self.names.system().into()),
        ) {
            let quad = quad?;
            records += 1;
            let Term::Literal(literal) = &quad.object else {
                continue;
            };
            if let Ok(time) = literal.value().parse::<DateTime>() {
                if latest.as_ref().is_none_or(|latest| time > *latest) {
                    latest = Some(time);
                }
            }
        }
        Ok(ChangeMarker {
            records,
            latest: latest.map(|time| time.to_string()),
        })
    }
}

//! Full dumps of the published data, read from one snapshot.
//!
//! A dump reads the store through a read-only transaction: Oxigraph gives it a consistent snapshot
//! and takes no lock, so writes go on while a dump is written (they are simply not in it).

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Quad, QuadRef};

use super::backend::Read;
use super::{Store, StoreError};
use crate::model::vocab;

/// What a dump holds and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    /// Every published record in its own named graph (`{base}/graph/record/{id}`), N-Quads:
    /// what `agora load` reads back, record by record.
    RecordsNQuads,
    /// The published default graph (records, reference data and public history), Turtle.
    PublishedTurtle,
}

/// Why a dump failed.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed.
    #[error("while writing the dump: {0}")]
    Io(#[from] std::io::Error),
}

impl From<oxigraph::store::StorageError> for DumpError {
    fn from(error: oxigraph::store::StorageError) -> Self {
        Self::Store(error.into())
    }
}

impl Store {
    /// Writes a dump in `format` into `writer`; returns the writer and the number of quads.
    pub fn dump<W: Write>(&self, format: DumpFormat, writer: W) -> Result<(W, u64), DumpError> {
        if self.is_remote() {
            // A remote store has no snapshot to stream from: the dump reads record by record
            // while writes go on (a record is never half-written, but two records may be of
            // different moments).
            return self.dump_from(&self.view(), format, writer);
        }
        let mut writer = Some(writer);
        self.snapshot(|transaction| {
            let writer = writer
                .take()
                .ok_or_else(|| DumpError::Io(std::io::Error::other("a dump is written once")))?;
            self.dump_from(transaction, format, writer)
        })
    }

    fn dump_from<W: Write>(
        &self,
        transaction: &impl Read,
        format: DumpFormat,
        writer: W,
    ) -> Result<(W, u64), DumpError> {
        let mut count = 0;
        match format {
            DumpFormat::RecordsNQuads => {
                let mut serializer =
                    RdfSerializer::from_format(RdfFormat::NQuads).for_writer(writer);
                let graphs = transaction.quads_for_pattern(
                    None,
                    Some(vocab::FOAF_PRIMARY_TOPIC),
                    None,
                    Some(self.names.system().into()),
                );
                for quad in graphs {
                    let NamedOrBlankNode::NamedNode(graph) = quad?.subject else {
                        continue;
                    };
                    if !self.names.is_record_graph(graph.as_ref()) {
                        continue;
                    }
                    for quad in
                        transaction.quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
                    {
                        serializer.serialize_quad(&quad?)?;
                        count += 1;
                    }
                }
                Ok((serializer.finish()?, count))
            }
            DumpFormat::PublishedTurtle => {
                let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
                for (prefix, namespace) in vocab::ns::PREFIXES {
                    serializer = serializer
                        .with_prefix(*prefix, *namespace)
                        .map_err(std::io::Error::other)?;
                }
                let mut serializer = serializer.for_writer(writer);
                for quad in transaction.quads_for_pattern(
                    None,
                    None,
                    None,
                    Some(GraphNameRef::DefaultGraph),
                ) {
                    let quad: Quad = quad?;
                    serializer.serialize_triple(QuadRef::from(&quad))?;
                    count += 1;
                }
                Ok((serializer.finish()?, count))
            }
        }
    }
}

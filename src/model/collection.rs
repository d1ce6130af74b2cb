//! Collections: how records are grouped into harvestable streams (one LDES per collection).

use std::fmt;

use oxigraph::model::NamedNodeRef;

use crate::model::RecordKind;

/// A collection of records that share a stream. The record's root class decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// Consultations with their subject documents.
    Consultations,
    /// Meetings with their agendas, items, decisions, news items and documents.
    Meetings,
    /// Consultation reports with their theme answers.
    Reports,
    /// Citizens' proposals with their feedback.
    Proposals,
    /// Decision-making cases and dossiers.
    Cases,
    /// Governing bodies, administrative units and other organisations.
    Organisations,
}

impl Collection {
    /// Every collection, in the order the catalogue lists them.
    pub const ALL: [Collection; 6] = [
        Self::Consultations,
        Self::Meetings,
        Self::Reports,
        Self::Proposals,
        Self::Cases,
        Self::Organisations,
    ];

    /// The collection of a record kind.
    pub fn of(kind: RecordKind) -> Self {
        match kind {
            RecordKind::Meeting => Self::Meetings,
            RecordKind::ConsultationReport => Self::Reports,
            RecordKind::Consultation => Self::Consultations,
            RecordKind::Proposal => Self::Proposals,
            RecordKind::Case | RecordKind::Dossier => Self::Cases,
            RecordKind::GoverningBody
            | RecordKind::AdministrativeUnit
            | RecordKind::Organisation => Self::Organisations,
        }
    }

    /// The collection of a record whose root has class `class`, if it is a root class.
    pub fn of_class(class: NamedNodeRef<'_>) -> Option<Self> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.class() == class)
            .map(Self::of)
    }

    /// The path segment of the collection's URLs (`/ldes/{slug}`), Dutch like Agora's URIs.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Consultations => "consultaties",
            Self::Meetings => "vergaderingen",
            Self::Reports => "consultatieverslagen",
            Self::Proposals => "burgervoorstellen",
            Self::Cases => "dossiers",
            Self::Organisations => "organisaties",
        }
    }

    /// The collection whose slug is `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|collection| collection.slug() == slug)
    }

    /// A title in Dutch and English, for catalogues and feeds.
    pub fn titles(self) -> (&'static str, &'static str) {
        match self {
            Self::Consultations => ("Consultaties", "Consultations"),
            Self::Meetings => (
                "Vergaderingen van de Vlaamse Regering en hun beslissingen",
                "Meetings of the Flemish Government and their decisions",
            ),
            Self::Reports => ("Consultatieverslagen", "Consultation reports"),
            Self::Proposals => ("Burgervoorstellen", "Citizens' proposals"),
            Self::Cases => (
                "Dossiers en besluitvormingsaangelegenheden",
                "Cases and dossiers",
            ),
            Self::Organisations => (
                "Organisaties en bestuursorganen",
                "Organisations and governing bodies",
            ),
        }
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_collection_and_slugs_round_trip() {
        for kind in RecordKind::ALL {
            let collection = Collection::of(kind);
            assert_eq!(Collection::of_class(kind.class()), Some(collection));
            assert_eq!(Collection::from_slug(collection.slug()), Some(collection));
        }
    }
}

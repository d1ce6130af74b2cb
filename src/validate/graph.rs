//! The data graph: triples with their terms interned to numbers and indexed four ways, so that
//! path steps, class checks and target look-ups are hash probes on integers.

use std::collections::HashMap;

use oxigraph::model::{NamedOrBlankNode, Term, Triple, TripleRef};

/// A term's number in a [`DataGraph`] (or, during one validation run, in the run's extra terms).
pub(super) type Id = u32;

/// The graph a [`super::Shapes`] validates: the record's triples, plus optional context triples.
///
/// Context triples (added with [`DataGraph::add_context`]) are visible to every constraint
/// (paths, `sh:class`, SPARQL) but do not produce focus nodes of their own. Once a graph has
/// context, targets only select the record's own nodes: `sh:targetClass` and
/// `sh:targetSubjectsOf` select subjects of record triples, `sh:targetObjectsOf` objects of
/// record triples, `sh:targetNode` nodes that occur in a record triple. That is what
/// validating a record "in context" needs: a decision that points at a meeting already stored
/// sees the meeting's type, but the stored meeting is not validated again.
#[derive(Debug, Default, Clone)]
pub struct DataGraph {
    terms: Vec<Term>,
    ids: HashMap<Term, Id>,
    /// Every triple, with whether it is a record (not only a context) triple.
    triples: HashMap<[Id; 3], bool>,
    /// (subject, predicate) to objects.
    sp: HashMap<(Id, Id), Vec<Id>>,
    /// (predicate, object) to subjects.
    po: HashMap<(Id, Id), Vec<Id>>,
    /// subject to (predicate, object).
    s: HashMap<Id, Vec<(Id, Id)>>,
    /// predicate to (subject, object).
    p: HashMap<Id, Vec<(Id, Id)>>,
    /// Per term: does it occur in a record triple (any position)?
    in_record: Vec<bool>,
    /// Per term: is it the subject of a record triple?
    record_subject: Vec<bool>,
    has_context: bool,
}

impl DataGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// A graph holding these (record) triples.
    pub fn from_triples<'a>(triples: impl IntoIterator<Item = impl Into<TripleRef<'a>>>) -> Self {
        let mut graph = Self::new();
        graph.extend(triples);
        graph
    }

    /// Adds record triples: their nodes can be focus nodes.
    pub fn extend<'a>(&mut self, triples: impl IntoIterator<Item = impl Into<TripleRef<'a>>>) {
        for triple in triples {
            self.insert(triple.into(), false);
        }
    }

    /// Adds context triples: visible to constraints, but their nodes are not targeted unless
    /// they also occur in a record triple.
    pub fn add_context<'a>(&mut self, triples: impl IntoIterator<Item = impl Into<TripleRef<'a>>>) {
        self.has_context = true;
        for triple in triples {
            self.insert(triple.into(), true);
        }
    }

    /// The number of distinct triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// Whether the graph holds no triple.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// Every triple, in no particular order.
    pub fn triples(&self) -> impl Iterator<Item = Triple> + '_ {
        self.triples.keys().filter_map(|[s, p, o]| {
            let subject: NamedOrBlankNode = match &self.terms[*s as usize] {
                Term::NamedNode(node) => node.clone().into(),
                Term::BlankNode(node) => node.clone().into(),
                Term::Literal(_) => return None,
            };
            let Term::NamedNode(predicate) = &self.terms[*p as usize] else {
                return None;
            };
            Some(Triple::new(
                subject,
                predicate.clone(),
                self.terms[*o as usize].clone(),
            ))
        })
    }

    fn insert(&mut self, triple: TripleRef<'_>, context: bool) {
        let s = self.intern(triple.subject.into(), context);
        let p = self.intern(triple.predicate.into(), context);
        let o = self.intern(triple.object, context);
        if !context {
            self.record_subject[s as usize] = true;
        }
        match self.triples.get_mut(&[s, p, o]) {
            Some(record) => *record |= !context,
            None => {
                self.triples.insert([s, p, o], !context);
                self.sp.entry((s, p)).or_default().push(o);
                self.po.entry((p, o)).or_default().push(s);
                self.s.entry(s).or_default().push((p, o));
                self.p.entry(p).or_default().push((s, o));
            }
        }
    }

    fn intern(&mut self, term: oxigraph::model::TermRef<'_>, context: bool) -> Id {
        let owned = term.into_owned();
        if let Some(id) = self.ids.get(&owned) {
            if !context {
                self.in_record[*id as usize] = true;
            }
            return *id;
        }
        let id = Id::try_from(self.terms.len()).expect("fewer than 2^32 terms in one data graph");
        self.terms.push(owned.clone());
        self.ids.insert(owned, id);
        self.in_record.push(!context);
        self.record_subject.push(false);
        id
    }

    /// The number of interned terms; ids at or above it belong to a run's extra terms.
    pub(super) fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub(super) fn term(&self, id: Id) -> Option<&Term> {
        self.terms.get(id as usize)
    }

    pub(super) fn id(&self, term: &Term) -> Option<Id> {
        self.ids.get(term).copied()
    }

    pub(super) fn objects(&self, subject: Id, predicate: Id) -> &[Id] {
        self.sp
            .get(&(subject, predicate))
            .map_or(&[], Vec::as_slice)
    }

    pub(super) fn subjects(&self, predicate: Id, object: Id) -> &[Id] {
        self.po.get(&(predicate, object)).map_or(&[], Vec::as_slice)
    }

    pub(super) fn outgoing(&self, subject: Id) -> &[(Id, Id)] {
        self.s.get(&subject).map_or(&[], Vec::as_slice)
    }

    pub(super) fn with_predicate(&self, predicate: Id) -> &[(Id, Id)] {
        self.p.get(&predicate).map_or(&[], Vec::as_slice)
    }

    /// Whether `sh:targetNode` may select this node (see the type's documentation).
    pub(super) fn may_target_node(&self, id: Id) -> bool {
        !self.has_context || self.in_record.get(id as usize).copied().unwrap_or(false)
    }

    /// Whether a class or subjects-of target may select this node.
    pub(super) fn may_target_subject(&self, id: Id) -> bool {
        !self.has_context
            || self
                .record_subject
                .get(id as usize)
                .copied()
                .unwrap_or(false)
    }

    /// Whether an objects-of target may select the object of this triple.
    pub(super) fn may_target_object(&self, triple: [Id; 3]) -> bool {
        !self.has_context || self.triples.get(&triple).copied().unwrap_or(false)
    }
}

impl<'a, T: Into<TripleRef<'a>>> FromIterator<T> for DataGraph {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from_triples(iter)
    }
}

//! The data graph: triples with their terms interned to numbers and indexed four ways, so that
//! path steps, class checks and target look-ups are hash probes on integers.
//!
//! Context that many records share (the reference data) can be interned and indexed once, as a
//! [`ContextGraph`]; a [`DataGraph`] over it adds only the record's own terms and triples. Its
//! index entries are copied from the shared context on first write, so a look-up reads one map.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

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
///
/// A graph made with [`DataGraph::with_context`] behaves exactly as one that was given the same
/// context triples with [`DataGraph::add_context`], but does not copy them.
#[derive(Debug, Default, Clone)]
pub struct DataGraph {
    /// Context shared with other graphs. Its terms have the ids `0..shared.terms.len()` in this
    /// graph too, and all its triples are context triples.
    shared: Option<Arc<SharedContext>>,
    /// The terms this graph adds to the shared context; term `i` has id `shared_terms + i`.
    terms: Vec<Term>,
    ids: HashMap<Term, Id>,
    /// Every triple this graph adds, with whether it is a record (not only a context) triple. A
    /// shared triple that the record states too is also here, marked as a record triple.
    triples: HashMap<[Id; 3], bool>,
    /// How many entries of `triples` the shared context does not hold.
    added: usize,
    /// (subject, predicate) to objects. An entry, once here, includes the shared context's.
    sp: HashMap<(Id, Id), Vec<Id>>,
    /// (predicate, object) to subjects (same rule).
    po: HashMap<(Id, Id), Vec<Id>>,
    /// subject to (predicate, object) (same rule).
    s: HashMap<Id, Vec<(Id, Id)>>,
    /// predicate to (subject, object) (same rule).
    p: HashMap<Id, Vec<(Id, Id)>>,
    /// Per term (shared ones included): does it occur in a record triple (any position)?
    in_record: Vec<bool>,
    /// Per term (shared ones included): is it the subject of a record triple?
    record_subject: Vec<bool>,
    has_context: bool,
}

/// Context triples interned and indexed once, for any number of [`DataGraph`]s
/// ([`DataGraph::with_context`]): validating many records against the same reference or stored
/// data then costs each record its own triples only. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ContextGraph(Arc<SharedContext>);

#[derive(Debug)]
struct SharedContext {
    /// A graph of context triples only, without a shared context of its own.
    graph: DataGraph,
}

impl ContextGraph {
    /// Interns and indexes the context triples.
    pub fn new<'a>(triples: impl IntoIterator<Item = impl Into<TripleRef<'a>>>) -> Self {
        let mut graph = DataGraph::new();
        graph.add_context(triples);
        Self(Arc::new(SharedContext { graph }))
    }

    /// The number of distinct context triples.
    pub fn len(&self) -> usize {
        self.0.graph.len()
    }

    /// Whether there is no context triple.
    pub fn is_empty(&self) -> bool {
        self.0.graph.is_empty()
    }
}

impl DataGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty graph over a shared context: the same as [`DataGraph::new`] followed by
    /// [`DataGraph::add_context`] with the context's triples, without interning them again.
    pub fn with_context(context: &ContextGraph) -> Self {
        let shared_terms = context.0.graph.terms.len();
        Self {
            shared: Some(Arc::clone(&context.0)),
            in_record: vec![false; shared_terms],
            record_subject: vec![false; shared_terms],
            has_context: true,
            ..Self::default()
        }
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
        self.shared_graph().map_or(0, |shared| shared.triples.len()) + self.added
    }

    /// Whether the graph holds no triple.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every triple, in no particular order.
    pub fn triples(&self) -> impl Iterator<Item = Triple> + '_ {
        let shared = self
            .shared_graph()
            .into_iter()
            .flat_map(|g| g.triples.keys());
        shared
            .chain(self.added_keys())
            .filter_map(|key| self.triple(*key))
    }

    /// Every triple as ids, in no particular order.
    pub(super) fn triple_ids(&self) -> impl Iterator<Item = [Id; 3]> + '_ {
        let shared = self
            .shared_graph()
            .into_iter()
            .flat_map(|g| g.triples.keys());
        shared.chain(self.added_keys()).copied()
    }

    fn shared_graph(&self) -> Option<&DataGraph> {
        self.shared.as_deref().map(|shared| &shared.graph)
    }

    fn shared_terms(&self) -> usize {
        self.shared_graph().map_or(0, |shared| shared.terms.len())
    }

    fn added_keys(&self) -> impl Iterator<Item = &[Id; 3]> + '_ {
        let shared = self.shared_graph();
        self.triples
            .keys()
            .filter(move |key| shared.is_none_or(|g| !g.triples.contains_key(*key)))
    }

    fn triple(&self, [s, p, o]: [Id; 3]) -> Option<Triple> {
        let subject: NamedOrBlankNode = match self.term(s)? {
            Term::NamedNode(node) => node.clone().into(),
            Term::BlankNode(node) => node.clone().into(),
            Term::Literal(_) => return None,
        };
        let Term::NamedNode(predicate) = self.term(p)? else {
            return None;
        };
        Some(Triple::new(
            subject,
            predicate.clone(),
            self.term(o)?.clone(),
        ))
    }

    fn insert(&mut self, triple: TripleRef<'_>, context: bool) {
        let s = self.intern(triple.subject.into(), context);
        let p = self.intern(triple.predicate.into(), context);
        let o = self.intern(triple.object, context);
        if !context {
            self.record_subject[s as usize] = true;
        }
        if let Some(record) = self.triples.get_mut(&[s, p, o]) {
            *record |= !context;
            return;
        }
        self.triples.insert([s, p, o], !context);
        let shared = self.shared.as_deref().map(|shared| &shared.graph);
        if shared.is_some_and(|g| g.triples.contains_key(&[s, p, o])) {
            // Already in the shared indexes; only its being a record triple is new.
            return;
        }
        self.added += 1;
        push(&mut self.sp, shared.map(|g| &g.sp), (s, p), o);
        push(&mut self.po, shared.map(|g| &g.po), (p, o), s);
        push(&mut self.s, shared.map(|g| &g.s), s, (p, o));
        push(&mut self.p, shared.map(|g| &g.p), p, (s, o));
    }

    fn intern(&mut self, term: oxigraph::model::TermRef<'_>, context: bool) -> Id {
        let owned = term.into_owned();
        if let Some(id) = self.id(&owned) {
            if !context {
                self.in_record[id as usize] = true;
            }
            return id;
        }
        let id = Id::try_from(self.term_count()).expect("fewer than 2^32 terms in one data graph");
        self.terms.push(owned.clone());
        self.ids.insert(owned, id);
        self.in_record.push(!context);
        self.record_subject.push(false);
        id
    }

    /// The number of interned terms; ids at or above it belong to a run's extra terms.
    pub(super) fn term_count(&self) -> usize {
        self.shared_terms() + self.terms.len()
    }

    pub(super) fn term(&self, id: Id) -> Option<&Term> {
        let shared_terms = self.shared_terms();
        match (id as usize).checked_sub(shared_terms) {
            Some(own) => self.terms.get(own),
            None => self.shared_graph()?.terms.get(id as usize),
        }
    }

    pub(super) fn id(&self, term: &Term) -> Option<Id> {
        self.ids
            .get(term)
            .or_else(|| self.shared_graph()?.ids.get(term))
            .copied()
    }

    pub(super) fn objects(&self, subject: Id, predicate: Id) -> &[Id] {
        look_up(
            &self.sp,
            self.shared_graph().map(|g| &g.sp),
            &(subject, predicate),
        )
    }

    pub(super) fn subjects(&self, predicate: Id, object: Id) -> &[Id] {
        look_up(
            &self.po,
            self.shared_graph().map(|g| &g.po),
            &(predicate, object),
        )
    }

    pub(super) fn outgoing(&self, subject: Id) -> &[(Id, Id)] {
        look_up(&self.s, self.shared_graph().map(|g| &g.s), &subject)
    }

    pub(super) fn with_predicate(&self, predicate: Id) -> &[(Id, Id)] {
        look_up(&self.p, self.shared_graph().map(|g| &g.p), &predicate)
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

/// Appends `value` to the entry `key` of an index, first copying the shared context's entry.
fn push<K: Hash + Eq + Copy, V: Clone>(
    own: &mut HashMap<K, Vec<V>>,
    shared: Option<&HashMap<K, Vec<V>>>,
    key: K,
    value: V,
) {
    own.entry(key)
        .or_insert_with(|| {
            shared
                .and_then(|index| index.get(&key))
                .cloned()
                .unwrap_or_default()
        })
        .push(value);
}

/// An index entry: this graph's (which includes the shared one), else the shared context's.
fn look_up<'g, K: Hash + Eq, V>(
    own: &'g HashMap<K, Vec<V>>,
    shared: Option<&'g HashMap<K, Vec<V>>>,
    key: &K,
) -> &'g [V] {
    own.get(key)
        .or_else(|| shared?.get(key))
        .map_or(&[], Vec::as_slice)
}

impl<'a, T: Into<TripleRef<'a>>> FromIterator<T> for DataGraph {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from_triples(iter)
    }
}

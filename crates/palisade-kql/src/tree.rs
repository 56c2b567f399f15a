//! The lossless syntax tree: every byte of the text, trivia included, in one flat array.
//!
//! Elements are stored in pre-order; a node records how many elements its subtree holds, so
//! children are found by skipping subtrees. A tree is one allocation, cheap to build, and
//! views ([`SyntaxNode`], [`SyntaxToken`]) are two words that borrow it.

use std::fmt::Write as _;
use std::ops::Range;

use crate::syntax_kind::SyntaxKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Element {
    kind: SyntaxKind,
    start: u32,
    end: u32,
    /// For a node, the number of elements in its subtree, itself excluded; 0 for a token.
    descendants: u32,
}

/// A syntax tree over one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxTree {
    text: Box<str>,
    elements: Vec<Element>,
}

impl SyntaxTree {
    /// The text the tree covers.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The root node.
    pub fn root(&self) -> SyntaxNode<'_> {
        SyntaxNode { tree: self, index: 0 }
    }

    /// An indented outline: one line per node or token, trivia left out, token text shown.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        let mut ends: Vec<usize> = Vec::new();
        for (index, element) in self.elements.iter().enumerate() {
            while ends.last().is_some_and(|&end| end <= index) {
                ends.pop();
            }
            if element.kind.is_token() {
                if !element.kind.is_trivia() {
                    let text = &self.text[element.start as usize..element.end as usize];
                    let indent = "  ".repeat(ends.len());
                    let _ = writeln!(out, "{indent}{:?} {text:?}", element.kind);
                }
                continue;
            }
            let indent = "  ".repeat(ends.len());
            let _ = writeln!(out, "{indent}{:?}@{}..{}", element.kind, element.start, element.end);
            ends.push(index + 1 + element.descendants as usize);
        }
        out
    }
}

/// A node or a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxElement<'a> {
    /// An inner node.
    Node(SyntaxNode<'a>),
    /// A leaf.
    Token(SyntaxToken<'a>),
}

impl<'a> SyntaxElement<'a> {
    /// The kind of the node or token.
    pub fn kind(self) -> SyntaxKind {
        match self {
            SyntaxElement::Node(node) => node.kind(),
            SyntaxElement::Token(token) => token.kind(),
        }
    }

    /// The byte range covered.
    pub fn range(self) -> Range<u32> {
        match self {
            SyntaxElement::Node(node) => node.range(),
            SyntaxElement::Token(token) => token.range(),
        }
    }

    /// The node, if this is one.
    pub fn into_node(self) -> Option<SyntaxNode<'a>> {
        match self {
            SyntaxElement::Node(node) => Some(node),
            SyntaxElement::Token(_) => None,
        }
    }

    /// The token, if this is one.
    pub fn into_token(self) -> Option<SyntaxToken<'a>> {
        match self {
            SyntaxElement::Node(_) => None,
            SyntaxElement::Token(token) => Some(token),
        }
    }
}

/// A view of one inner node.
///
/// Two views are equal when they are the same node of the same tree (compared by address,
/// in constant time; a derived comparison would compare the whole trees).
#[derive(Clone, Copy, Debug)]
pub struct SyntaxNode<'a> {
    tree: &'a SyntaxTree,
    index: u32,
}

impl PartialEq for SyntaxNode<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}

impl Eq for SyntaxNode<'_> {}

impl<'a> SyntaxNode<'a> {
    fn element(self) -> Element {
        self.tree.elements[self.index as usize]
    }

    /// The node kind.
    pub fn kind(self) -> SyntaxKind {
        self.element().kind
    }

    /// The byte range covered, from the first to the last token inside (trivia included).
    pub fn range(self) -> Range<u32> {
        let element = self.element();
        element.start..element.end
    }

    /// The text covered.
    pub fn text(self) -> &'a str {
        let range = self.range();
        &self.tree.text[range.start as usize..range.end as usize]
    }

    /// The direct children, tokens and trivia included.
    pub fn children_with_tokens(self) -> impl Iterator<Item = SyntaxElement<'a>> + 'a {
        let tree = self.tree;
        let end = self.index as usize + 1 + self.element().descendants as usize;
        let mut next = self.index as usize + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let index = next;
            let element = tree.elements[index];
            next += 1 + element.descendants as usize;
            Some(if element.kind.is_token() {
                SyntaxElement::Token(SyntaxToken { tree, index: index as u32 })
            } else {
                SyntaxElement::Node(SyntaxNode { tree, index: index as u32 })
            })
        })
    }

    /// The direct child nodes.
    pub fn children(self) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        self.children_with_tokens().filter_map(SyntaxElement::into_node)
    }

    /// The direct child tokens that are not trivia.
    pub fn tokens(self) -> impl Iterator<Item = SyntaxToken<'a>> + 'a {
        self.children_with_tokens()
            .filter_map(SyntaxElement::into_token)
            .filter(|token| !token.kind().is_trivia())
    }

    /// Every descendant token in text order, trivia included.
    pub fn descendant_tokens(self) -> impl Iterator<Item = SyntaxToken<'a>> + 'a {
        let tree = self.tree;
        let start = self.index as usize + 1;
        let end = start + self.element().descendants as usize;
        (start..end)
            .filter(move |&index| tree.elements[index].kind.is_token())
            .map(move |index| SyntaxToken { tree, index: index as u32 })
    }

    /// Every descendant node in pre-order, this node excluded.
    pub fn descendants(self) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        let tree = self.tree;
        let start = self.index as usize + 1;
        let end = start + self.element().descendants as usize;
        (start..end)
            .filter(move |&index| !tree.elements[index].kind.is_token())
            .map(move |index| SyntaxNode { tree, index: index as u32 })
    }

    /// The first direct child node of `kind`.
    pub fn child(self, kind: SyntaxKind) -> Option<SyntaxNode<'a>> {
        self.children().find(|node| node.kind() == kind)
    }

    /// The first direct non-trivia token.
    pub fn first_token(self) -> Option<SyntaxToken<'a>> {
        self.tokens().next()
    }

    /// The first direct keyword token with this text.
    pub fn keyword(self, text: &str) -> Option<SyntaxToken<'a>> {
        self.tokens().find(|token| token.kind() == SyntaxKind::Keyword && token.text() == text)
    }
}

/// A view of one token.
///
/// Equal, like [`SyntaxNode`], when it is the same token of the same tree.
#[derive(Clone, Copy, Debug)]
pub struct SyntaxToken<'a> {
    tree: &'a SyntaxTree,
    index: u32,
}

impl PartialEq for SyntaxToken<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}

impl Eq for SyntaxToken<'_> {}

impl<'a> SyntaxToken<'a> {
    /// The token kind.
    pub fn kind(self) -> SyntaxKind {
        self.tree.elements[self.index as usize].kind
    }

    /// The byte range.
    pub fn range(self) -> Range<u32> {
        let element = self.tree.elements[self.index as usize];
        element.start..element.end
    }

    /// The token text.
    pub fn text(self) -> &'a str {
        let range = self.range();
        &self.tree.text[range.start as usize..range.end as usize]
    }
}

/// Builds a tree in pre-order; nodes may be wrapped around earlier siblings via checkpoints.
///
/// Elements are kept in a linked list while building, so wrapping a node around a long run
/// of earlier siblings (a left-nested chain `a or b or c ...` wraps once per operator) costs
/// constant time instead of moving everything after the checkpoint; [`TreeBuilder::finish`]
/// lays the list out in pre-order once.
#[derive(Debug, Default)]
pub(crate) struct TreeBuilder {
    /// Elements in the order they were added; `start` and `end` of nodes are set at finish.
    elements: Vec<Element>,
    /// For each element, the next element in pre-order (`NONE` at the end).
    next: Vec<u32>,
    /// For each element, the previous element in pre-order (`NONE` at the start).
    prev: Vec<u32>,
    /// For each element, the outermost node started at it through a checkpoint (itself if
    /// none): a later wrap at the same checkpoint goes before that node.
    front: Vec<u32>,
    /// For each node, the last element inside it (itself when empty), set when it finishes.
    last: Vec<u32>,
    head: u32,
    tail: u32,
    open: Vec<usize>,
    position: u32,
}

const NONE: u32 = u32::MAX;

/// A place in the builder where a node can later be started around what follows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checkpoint(usize);

impl TreeBuilder {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        TreeBuilder {
            elements: Vec::with_capacity(capacity),
            next: Vec::with_capacity(capacity),
            prev: Vec::with_capacity(capacity),
            front: Vec::with_capacity(capacity),
            last: Vec::with_capacity(capacity),
            head: NONE,
            tail: NONE,
            open: Vec::new(),
            position: 0,
        }
    }

    /// Adds `element` to the arena, unlinked, and returns its index.
    fn add(&mut self, element: Element) -> u32 {
        let index = self.elements.len() as u32;
        self.elements.push(element);
        self.next.push(NONE);
        self.prev.push(NONE);
        self.front.push(index);
        self.last.push(index);
        index
    }

    /// Adds `element` at the end of the pre-order.
    fn append(&mut self, element: Element) -> u32 {
        let index = self.add(element);
        self.prev[index as usize] = self.tail;
        match self.tail {
            NONE => self.head = index,
            tail => self.next[tail as usize] = index,
        }
        self.tail = index;
        index
    }

    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        let index = self.append(Element { kind, start: 0, end: 0, descendants: 0 });
        self.open.push(index as usize);
    }

    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.elements.len())
    }

    /// Starts a node that encloses everything added since `checkpoint`.
    pub(crate) fn start_node_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        let element = Element { kind, start: 0, end: 0, descendants: 0 };
        if checkpoint.0 >= self.elements.len() {
            self.start_node(kind);
            return;
        }
        let before = self.front[checkpoint.0];
        let index = self.add(element);
        let prev = self.prev[before as usize];
        self.prev[index as usize] = prev;
        self.next[index as usize] = before;
        self.prev[before as usize] = index;
        match prev {
            NONE => self.head = index,
            prev => self.next[prev as usize] = index,
        }
        self.front[checkpoint.0] = index;
        self.open.push(index as usize);
    }

    pub(crate) fn token(&mut self, kind: SyntaxKind, start: u32, end: u32) {
        self.append(Element { kind, start, end, descendants: 0 });
        self.position = end;
    }

    pub(crate) fn finish_node(&mut self) {
        let Some(index) = self.open.pop() else {
            return;
        };
        self.last[index] = self.tail;
        // The end is known now; the start is the first element inside, found at finish.
        let element = &mut self.elements[index];
        element.start = self.position;
        element.end = self.position;
    }

    pub(crate) fn finish(mut self, text: &str) -> SyntaxTree {
        while !self.open.is_empty() {
            self.finish_node();
        }
        let mut order = Vec::with_capacity(self.elements.len());
        let mut final_index = vec![0u32; self.elements.len()];
        let mut at = self.head;
        while at != NONE {
            final_index[at as usize] = order.len() as u32;
            order.push(at);
            at = self.next[at as usize];
        }
        let mut elements: Vec<Element> =
            order.iter().map(|&index| self.elements[index as usize]).collect();
        for (position, &index) in order.iter().enumerate().rev() {
            if elements[position].kind.is_token() {
                continue;
            }
            let last = final_index[self.last[index as usize] as usize] as usize;
            let descendants = last.saturating_sub(position);
            elements[position].descendants = descendants as u32;
            if descendants > 0 {
                elements[position].start = elements[position + 1].start;
            }
        }
        SyntaxTree { text: text.into(), elements }
    }
}

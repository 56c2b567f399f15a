//! KQL front end: lexer, lossless parser and (later) name resolver.
//!
//! The crate knows nothing about Sentinel specs or files: it takes query text and returns a
//! tree and errors with byte ranges into that text. [`parse`] never fails and never panics;
//! every problem is a [`SyntaxError`] with a `KQL0xx` code (see [`ERROR_CODES`]).

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod ast;
mod errors;
mod lexer;
mod parser;
pub mod resolve;
mod syntax_kind;
mod tree;

pub use errors::{ERROR_CODES, ErrorCode, SyntaxError};
pub use lexer::{Token, tokenize};
pub use resolve::{Resolution, Schema, resolve};
pub use syntax_kind::SyntaxKind;
pub use tree::{SyntaxElement, SyntaxNode, SyntaxToken, SyntaxTree};

/// The result of parsing one query text: the tree and the syntax errors, in text order.
#[derive(Clone, Debug)]
pub struct Parse {
    tree: SyntaxTree,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The syntax errors, sorted by start offset.
    pub fn diagnostics(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Whether there is at least one syntax error.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The lossless syntax tree.
    pub fn tree(&self) -> &SyntaxTree {
        &self.tree
    }

    /// The root node of the tree (kind [`SyntaxKind::Root`]).
    pub fn root(&self) -> SyntaxNode<'_> {
        self.tree.root()
    }

    /// The parsed text.
    pub fn text(&self) -> &str {
        self.tree.text()
    }
}

/// Parses a KQL text: statements separated by `;`, usually ending in a query.
pub fn parse(text: &str) -> Parse {
    let mut errors = Vec::new();
    let tokens = lexer::tokenize(text, &mut errors);
    let tree = parser::parse_tokens(text, tokens, &mut errors);
    errors.sort_by_key(|error| (error.range.start, error.range.end));
    Parse { tree, errors }
}

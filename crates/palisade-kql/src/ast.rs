//! A typed view over the syntax tree: thin wrappers that know which children mean what.
//!
//! Each wrapper holds a [`SyntaxNode`] of one kind and is created with `cast`. They read the
//! tree; they never copy it. Name resolution walks statements, pipelines and operators with
//! these.

use crate::syntax_kind::SyntaxKind;
use crate::tree::{SyntaxNode, SyntaxToken};

macro_rules! ast_node {
    ($(#[$doc:meta])* $name:ident, $($kind:ident)|+) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name<'a>(SyntaxNode<'a>);

        impl<'a> $name<'a> {
            /// Wraps `node` when it has the right kind.
            pub fn cast(node: SyntaxNode<'a>) -> Option<Self> {
                matches!(node.kind(), $(SyntaxKind::$kind)|+).then_some(Self(node))
            }

            /// The underlying node.
            pub fn syntax(self) -> SyntaxNode<'a> {
                self.0
            }
        }
    };
}

ast_node!(
    /// The whole text: statements separated by `;`.
    Query, Root
);
ast_node!(
    /// `let name = value`, where the value is an expression or a function.
    LetStmt, LetStmt
);
ast_node!(
    /// A query used as a statement.
    ExprStmt, ExprStmt
);
ast_node!(
    /// `source | operator | operator`.
    PipeExpr, PipeExpr
);
ast_node!(
    /// `name = value` in `project`, `extend`, `summarize` and friends.
    NamedExpr, NamedExpr
);
ast_node!(
    /// A name: a word or `['bracketed']`.
    Name, NameRef | BracketName
);
ast_node!(
    /// One function parameter `name: type [= default]`.
    Param, Param
);

/// One statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statement<'a> {
    /// `let ...`
    Let(LetStmt<'a>),
    /// A query.
    Expr(ExprStmt<'a>),
    /// `set`, `declare`, `alias`, `restrict` or `pattern`; read them from the node.
    Other(SyntaxNode<'a>),
}

impl<'a> Query<'a> {
    /// The statements in order.
    pub fn statements(self) -> impl Iterator<Item = Statement<'a>> + 'a {
        self.0.children().filter_map(|node| match node.kind() {
            SyntaxKind::LetStmt => Some(Statement::Let(LetStmt(node))),
            SyntaxKind::ExprStmt => Some(Statement::Expr(ExprStmt(node))),
            SyntaxKind::SetStmt
            | SyntaxKind::DeclareStmt
            | SyntaxKind::AliasStmt
            | SyntaxKind::PatternStmt
            | SyntaxKind::RestrictStmt => Some(Statement::Other(node)),
            _ => None,
        })
    }
}

impl<'a> LetStmt<'a> {
    /// The declared name.
    pub fn name(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }

    /// The parameters, when the value is a function or a view.
    pub fn params(self) -> impl Iterator<Item = Param<'a>> + 'a {
        let list = self
            .0
            .child(SyntaxKind::ParamList)
            .or_else(|| self.0.child(SyntaxKind::ViewDecl)?.child(SyntaxKind::ParamList));
        list.into_iter().flat_map(|list| list.children().filter_map(Param::cast))
    }

    /// The function or view body `{ ... }`, when there is one.
    pub fn body(self) -> Option<SyntaxNode<'a>> {
        self.0
            .child(SyntaxKind::FunctionBody)
            .or_else(|| self.0.child(SyntaxKind::ViewDecl)?.child(SyntaxKind::FunctionBody))
    }

    /// The value expression, when the value is not a function.
    pub fn value(self) -> Option<SyntaxNode<'a>> {
        if self.body().is_some() {
            return None;
        }
        self.0.children().skip(1).find(|node| node.kind() != SyntaxKind::ErrorNode)
    }
}

impl<'a> ExprStmt<'a> {
    /// The expression, usually a [`PipeExpr`] or a bare table name.
    pub fn expr(self) -> Option<SyntaxNode<'a>> {
        self.0.children().next()
    }
}

impl<'a> PipeExpr<'a> {
    /// What flows into the first `|`: a table name, a call, a source operator, ...
    pub fn source(self) -> Option<SyntaxNode<'a>> {
        self.0.children().next()
    }

    /// The operators after each `|`, in order.
    pub fn operators(self) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        self.0.children().skip(1).filter(|node| node.kind().is_query_operator())
    }
}

impl<'a> NamedExpr<'a> {
    /// The declared names: one, or several for `(a, b) = ...`.
    pub fn names(self) -> impl Iterator<Item = Name<'a>> + 'a {
        let first = self.0.children().next();
        first.into_iter().flat_map(|node| {
            let list = (node.kind() == SyntaxKind::NameList).then_some(node);
            let single = Name::cast(node);
            single
                .into_iter()
                .chain(list.into_iter().flat_map(|list| list.children().filter_map(Name::cast)))
        })
    }

    /// The value after `=`.
    pub fn value(self) -> Option<SyntaxNode<'a>> {
        self.0.children().nth(1)
    }
}

impl<'a> Name<'a> {
    /// The token that spells the name (the string literal for `['name']`).
    pub fn token(self) -> Option<SyntaxToken<'a>> {
        self.0.tokens().find(|token| {
            matches!(token.kind(), SyntaxKind::Ident | SyntaxKind::Wildcard | SyntaxKind::StringLit)
        })
    }

    /// The name as written, without brackets or quotes; `None` for `[expr]` element access.
    pub fn text(self) -> Option<&'a str> {
        let token = self.token()?;
        let text = token.text();
        if token.kind() != SyntaxKind::StringLit {
            return Some(text);
        }
        let text = text.trim_start_matches(['h', 'H', '@']);
        text.get(1..text.len().saturating_sub(1))
    }
}

impl<'a> Param<'a> {
    /// The parameter name.
    pub fn name(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }

    /// The declared type: a scalar type name, or a tabular schema node.
    pub fn type_ref(self) -> Option<SyntaxNode<'a>> {
        self.0.child(SyntaxKind::TypeRef)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_statements_pipelines_and_names() {
        let parse = crate::parse(
            "let f = (a: string) { T | where x == a };\nlet n = 5;\nT | extend (p, q) = g(), ['r s'] = 1 | take n",
        );
        assert!(!parse.has_errors(), "{:?}", parse.diagnostics());
        let query = Query::cast(parse.root()).unwrap();
        let statements: Vec<_> = query.statements().collect();
        assert_eq!(statements.len(), 3);

        let Statement::Let(function) = statements[0] else { panic!("expected let") };
        assert_eq!(function.name().unwrap().text(), Some("f"));
        let params: Vec<_> = function.params().map(|p| p.name().unwrap().text().unwrap()).collect();
        assert_eq!(params, ["a"]);
        assert!(function.body().is_some() && function.value().is_none());

        let Statement::Let(scalar) = statements[1] else { panic!("expected let") };
        assert_eq!(scalar.value().unwrap().text(), "5");

        let Statement::Expr(expr) = statements[2] else { panic!("expected a query") };
        let pipe = PipeExpr::cast(expr.expr().unwrap()).unwrap();
        assert_eq!(pipe.source().unwrap().text(), "T");
        let operators: Vec<_> = pipe.operators().map(|op| op.kind()).collect();
        assert_eq!(operators, [SyntaxKind::ExtendOp, SyntaxKind::TakeOp]);

        let extend = pipe.operators().next().unwrap();
        let names: Vec<_> = extend
            .children()
            .filter_map(NamedExpr::cast)
            .flat_map(|named| named.names().filter_map(Name::text).collect::<Vec<_>>())
            .collect();
        assert_eq!(names, ["p", "q", "r s"]);
    }
}

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

ast_node!(
    /// `make-graph source --> target [with Nodes on key, ...] [with_node_id=name]
    /// [partitioned-by column (operators)]`.
    MakeGraph, MakeGraphOp
);
ast_node!(
    /// `graph-match` or `graph-shortest-paths`.
    GraphMatch, GraphMatchOp | GraphShortestPathsOp
);
ast_node!(
    /// One path pattern: nodes and edges in a row.
    GraphPattern, GraphPattern
);
ast_node!(
    /// `(name)` or `()` in a pattern.
    GraphNode, GraphNode
);
ast_node!(
    /// An edge in a pattern: `-[e]->`, `<-[e*1..3]-`, `-->`, ...
    GraphEdge, GraphEdge
);
ast_node!(
    /// `graph-to-table`.
    GraphToTable, GraphToTableOp
);
ast_node!(
    /// `nodes [as N] [params]` or `edges [as E] [params]` of `graph-to-table`.
    GraphTableOutput, GraphTableOutput
);
ast_node!(
    /// `macro-expand [params] source [as scope] (query)`.
    MacroExpand, MacroExpandOp
);
ast_node!(
    /// `entity_group [a, b, ...]`.
    EntityGroup, EntityGroup
);

/// Which way a graph pattern edge points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeDirection {
    /// `-[...]->` or `-->`: from the node on the left to the node on the right.
    Right,
    /// `<-[...]-` or `<--`: from the node on the right to the node on the left.
    Left,
    /// `-[...]-` or `--`: either way.
    Any,
}

/// The `name=value` parameters among the children of `node`, as (name, value) pairs.
fn op_params(node: SyntaxNode<'_>) -> impl Iterator<Item = (&str, Option<SyntaxNode<'_>>)> + '_ {
    node.children().filter(|child| child.kind() == SyntaxKind::OpParam).filter_map(|param| {
        let name = param.first_token()?.text();
        Some((name, param.children().next()))
    })
}

impl<'a> MakeGraph<'a> {
    /// The edge source column.
    pub fn source(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }

    /// The edge target column.
    pub fn target(self) -> Option<Name<'a>> {
        self.0.children().filter_map(Name::cast).nth(1)
    }

    /// Whether the edges have a direction (`-->`) rather than none (`--`).
    pub fn directed(self) -> bool {
        self.0.tokens().any(|token| token.kind() == SyntaxKind::Gt)
    }

    /// The `Nodes on key` tables after `with`, as (table expression, key column).
    pub fn node_tables(
        self,
    ) -> impl Iterator<Item = (Option<SyntaxNode<'a>>, Option<Name<'a>>)> + 'a {
        self.0.children().filter(|child| child.kind() == SyntaxKind::GraphNodeTable).map(|table| {
            let mut parts = table.children();
            let source = parts.next();
            (source, parts.find_map(Name::cast))
        })
    }

    /// The `with_node_id=name` name, when given.
    pub fn node_id_name(self) -> Option<Name<'a>> {
        op_params(self.0)
            .find(|(name, _)| *name == "with_node_id")
            .and_then(|(_, value)| value.and_then(Name::cast))
    }

    /// `partitioned-by`: the partition column and the operators run per partition.
    pub fn partitioned_by(self) -> Option<(Option<Name<'a>>, Option<SyntaxNode<'a>>)> {
        let clause = self.0.child(SyntaxKind::PartitionedBy)?;
        Some((clause.children().find_map(Name::cast), clause.child(SyntaxKind::SubQuery)))
    }

    /// The `name=value` parameters (`hint.strategy`).
    pub fn params(self) -> impl Iterator<Item = (&'a str, Option<SyntaxNode<'a>>)> + 'a {
        op_params(self.0).filter(|(name, _)| *name != "with_node_id")
    }
}

impl<'a> GraphMatch<'a> {
    /// The `name=value` parameters (`cycles`, `output`).
    pub fn params(self) -> impl Iterator<Item = (&'a str, Option<SyntaxNode<'a>>)> + 'a {
        op_params(self.0)
    }

    /// The comma-separated patterns.
    pub fn patterns(self) -> impl Iterator<Item = GraphPattern<'a>> + 'a {
        self.0.children().filter_map(GraphPattern::cast)
    }

    /// The predicate after `where`.
    pub fn predicate(self) -> Option<SyntaxNode<'a>> {
        self.0.child(SyntaxKind::WhereClause)?.children().next()
    }

    /// The items after `project`, each a [`NamedExpr`] or an expression.
    pub fn projections(self) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        self.0.child(SyntaxKind::ProjectClause).into_iter().flat_map(|clause| {
            clause.children().filter(|child| child.kind() != SyntaxKind::ErrorNode)
        })
    }
}

impl<'a> GraphPattern<'a> {
    /// The nodes of the pattern, in order.
    pub fn nodes(self) -> impl Iterator<Item = GraphNode<'a>> + 'a {
        self.0.children().filter_map(GraphNode::cast)
    }

    /// The edges of the pattern, in order.
    pub fn edges(self) -> impl Iterator<Item = GraphEdge<'a>> + 'a {
        self.0.children().filter_map(GraphEdge::cast)
    }
}

impl<'a> GraphNode<'a> {
    /// The node variable, `None` for `()`.
    pub fn name(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }
}

impl<'a> GraphEdge<'a> {
    /// The edge variable, `None` for `-[]->`, `-->` and friends.
    pub fn name(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }

    /// Which way the edge points.
    pub fn direction(self) -> EdgeDirection {
        let mut tokens = self.0.tokens();
        if tokens.next().is_some_and(|token| token.kind() == SyntaxKind::Lt) {
            return EdgeDirection::Left;
        }
        if self.0.tokens().last().is_some_and(|token| token.kind() == SyntaxKind::Gt) {
            return EdgeDirection::Right;
        }
        EdgeDirection::Any
    }

    /// The bounds of a variable-length edge `*low..high`, when it is one.
    pub fn length_range(self) -> Option<(Option<SyntaxNode<'a>>, Option<SyntaxNode<'a>>)> {
        let range = self.0.child(SyntaxKind::GraphEdgeRange)?;
        let mut bounds = range.children();
        Some((bounds.next(), bounds.next()))
    }
}

impl<'a> GraphToTable<'a> {
    /// The `nodes` and `edges` outputs.
    pub fn outputs(self) -> impl Iterator<Item = GraphTableOutput<'a>> + 'a {
        self.0.children().filter_map(GraphTableOutput::cast)
    }
}

impl<'a> GraphTableOutput<'a> {
    /// Whether this is the `nodes` output (else `edges`).
    pub fn is_nodes(self) -> bool {
        self.0.first_token().is_some_and(|token| token.text() == "nodes")
    }

    /// The name after `as`.
    pub fn alias(self) -> Option<Name<'a>> {
        self.0.children().find_map(Name::cast)
    }

    /// The `with_node_id=`, `with_source_id=` and `with_target_id=` parameters.
    pub fn params(self) -> impl Iterator<Item = (&'a str, Option<SyntaxNode<'a>>)> + 'a {
        op_params(self.0)
    }
}

impl<'a> MacroExpand<'a> {
    /// The `name=value` parameters (`isfuzzy`, `force_remote`, ...).
    pub fn params(self) -> impl Iterator<Item = (&'a str, Option<SyntaxNode<'a>>)> + 'a {
        op_params(self.0)
    }

    /// The entity group: an inline [`EntityGroup`] or the name of one.
    pub fn source(self) -> Option<SyntaxNode<'a>> {
        self.0.children().find(|child| {
            matches!(
                child.kind(),
                SyntaxKind::EntityGroup | SyntaxKind::NameRef | SyntaxKind::BracketName
            )
        })
    }

    /// The scope name after `as`.
    pub fn scope(self) -> Option<Name<'a>> {
        let source = self.source();
        self.0.children().filter_map(Name::cast).find(|name| Some(name.syntax()) != source)
    }

    /// The `(...)` body run for each entity: statements, the last one a query.
    pub fn body(self) -> Option<SyntaxNode<'a>> {
        self.0.child(SyntaxKind::SubQuery)
    }
}

impl<'a> EntityGroup<'a> {
    /// The entities, each an expression.
    pub fn entities(self) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
        self.0.children().filter(|child| child.kind() != SyntaxKind::ErrorNode)
    }
}

/// The schema of `assert-schema`, as its column declarations.
pub fn asserted_columns<'a>(op: SyntaxNode<'a>) -> impl Iterator<Item = Param<'a>> + 'a {
    let schema =
        (op.kind() == SyntaxKind::AssertSchemaOp).then(|| op.child(SyntaxKind::TypeRef)).flatten();
    schema.into_iter().flat_map(|schema| schema.children().filter_map(Param::cast))
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

    #[test]
    fn reads_graph_operators() {
        let parse = crate::parse(
            "E | make-graph src --> dst with N on id partitioned-by t (graph-to-table nodes as X with_node_id=k, edges)\n\
             | graph-match cycles=none (a)-[e*1..3]->(b)<--(c), (a)--() where a.x == 1 project a.x, n = b",
        );
        assert!(!parse.has_errors(), "{:?}", parse.diagnostics());
        let make = parse.root().descendants().find_map(MakeGraph::cast).unwrap();
        assert_eq!(make.source().unwrap().text(), Some("src"));
        assert_eq!(make.target().unwrap().text(), Some("dst"));
        assert!(make.directed());
        let (table, key) = make.node_tables().next().unwrap();
        assert_eq!((table.unwrap().text(), key.unwrap().text()), ("N", Some("id")));
        let (column, operators) = make.partitioned_by().unwrap();
        assert_eq!(column.unwrap().text(), Some("t"));
        let to_table = operators.unwrap().descendants().find_map(GraphToTable::cast).unwrap();
        let outputs: Vec<_> = to_table.outputs().collect();
        assert_eq!(outputs.len(), 2);
        assert!(outputs[0].is_nodes() && !outputs[1].is_nodes());
        assert_eq!(outputs[0].alias().unwrap().text(), Some("X"));
        assert_eq!(outputs[0].params().next().unwrap().0, "with_node_id");

        let graph_match = parse.root().descendants().find_map(GraphMatch::cast).unwrap();
        assert_eq!(graph_match.params().next().unwrap().0, "cycles");
        let patterns: Vec<_> = graph_match.patterns().collect();
        assert_eq!(patterns.len(), 2);
        let nodes: Vec<_> = patterns[0].nodes().map(|n| n.name().and_then(Name::text)).collect();
        assert_eq!(nodes, [Some("a"), Some("b"), Some("c")]);
        let edges: Vec<_> = patterns[0].edges().collect();
        assert_eq!(edges[0].name().unwrap().text(), Some("e"));
        assert_eq!(edges[0].direction(), EdgeDirection::Right);
        let (low, high) = edges[0].length_range().unwrap();
        assert_eq!((low.unwrap().text(), high.unwrap().text()), ("1", "3"));
        assert_eq!(edges[1].direction(), EdgeDirection::Left);
        assert_eq!(patterns[1].edges().next().unwrap().direction(), EdgeDirection::Any);
        assert_eq!(graph_match.predicate().unwrap().text(), "a.x == 1");
        assert_eq!(graph_match.projections().count(), 2);
    }

    #[test]
    fn reads_macro_expand_entity_groups_and_assert_schema() {
        let parse = crate::parse(
            "let g = entity_group [A, B];\nmacro-expand isfuzzy=true g as X (X.T | take 1)\n| assert-schema (a: string, b: long)",
        );
        assert!(!parse.has_errors(), "{:?}", parse.diagnostics());
        let group = parse.root().descendants().find_map(EntityGroup::cast).unwrap();
        let entities: Vec<_> = group.entities().map(|e| e.text()).collect();
        assert_eq!(entities, ["A", "B"]);
        let expand = parse.root().descendants().find_map(MacroExpand::cast).unwrap();
        assert_eq!(expand.params().next().unwrap().0, "isfuzzy");
        assert_eq!(expand.source().unwrap().text(), "g");
        assert_eq!(expand.scope().unwrap().text(), Some("X"));
        assert_eq!(expand.body().unwrap().text(), "(X.T | take 1)");
        let assert_op =
            parse.root().descendants().find(|n| n.kind() == SyntaxKind::AssertSchemaOp).unwrap();
        let columns: Vec<_> =
            asserted_columns(assert_op).map(|p| p.name().unwrap().text().unwrap()).collect();
        assert_eq!(columns, ["a", "b"]);
    }
}

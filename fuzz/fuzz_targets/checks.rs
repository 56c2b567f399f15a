//! Invariants every parse must keep, shared by the fuzz targets.

use std::ops::Range;

use palisade_kql::ast::{
    EntityGroup, ExprStmt, GraphMatch, GraphToTable, LetStmt, MacroExpand, MakeGraph, Name,
    NamedExpr, Param, PipeExpr, Query, Statement, asserted_columns,
};
use palisade_kql::{Parse, SyntaxElement, SyntaxNode};

/// Parses `text` and checks that the parse does not panic, keeps every byte of the text, and
/// reports only ranges that lie inside the text on character boundaries.
pub fn check_parse(text: &str) -> Parse {
    let parse = palisade_kql::parse(text);
    assert_eq!(parse.text(), text, "the tree holds a different text");

    for error in parse.diagnostics() {
        assert_range(text, &error.range, "diagnostic");
        assert!(error.code.starts_with("KQL0"), "syntax error code {} is not KQL0xx", error.code);
        if let Some((related, _)) = &error.related {
            assert_range(text, related, "related diagnostic range");
        }
    }
    let sorted = parse.diagnostics().windows(2).all(|pair| {
        (pair[0].range.start, pair[0].range.end) <= (pair[1].range.start, pair[1].range.end)
    });
    assert!(sorted, "diagnostics are not sorted by range");

    let root = parse.root();
    let range = root.range();
    assert!(
        range.start == 0 && range.end as usize == text.len(),
        "root covers {range:?}, not the whole text of {} bytes",
        text.len()
    );

    // Tokens in text order tile the text exactly: no gap, no overlap, nothing lost.
    let mut position = 0u32;
    let mut rebuilt = String::with_capacity(text.len());
    for token in root.descendant_tokens() {
        let range = token.range();
        assert_range(text, &range, "token");
        assert_eq!(
            range.start,
            position,
            "token {:?} at {range:?} leaves a gap or overlaps",
            token.kind()
        );
        position = range.end;
        rebuilt.push_str(token.text());
    }
    assert_eq!(rebuilt, text, "the tokens do not reproduce the text");

    check_node(text, root);
    walk_typed_view(root);

    // The lexer on its own obeys the same rules.
    let mut errors = Vec::new();
    let mut position = 0u32;
    for token in palisade_kql::tokenize(text, &mut errors) {
        assert_range(text, &(token.start..token.end), "lexer token");
        assert_eq!(token.start, position, "lexer token {token:?} leaves a gap or overlaps");
        position = token.end;
    }
    assert_eq!(position as usize, text.len(), "the lexer tokens stop short of the end");
    for error in &errors {
        assert_range(text, &error.range, "lexer diagnostic");
    }
    parse
}

/// Every child lies inside its parent, children come in order, and all ranges are valid.
fn check_node(text: &str, node: SyntaxNode<'_>) {
    let outer = node.range();
    assert_range(text, &outer, "node");
    assert!(node.text().len() == (outer.end - outer.start) as usize);
    let mut previous_end = outer.start;
    for child in node.children_with_tokens() {
        let range = child.range();
        assert_range(text, &range, "child");
        assert!(
            range.start >= previous_end && range.end <= outer.end,
            "{:?} at {range:?} is out of order or outside its parent {:?} at {outer:?}",
            child.kind(),
            node.kind()
        );
        previous_end = range.end;
        if let SyntaxElement::Node(inner) = child {
            check_node(text, inner);
        }
    }
}

/// Calls every accessor of the typed view on every node it fits, so it cannot panic either.
fn walk_typed_view(root: SyntaxNode<'_>) {
    if let Some(query) = Query::cast(root) {
        for statement in query.statements() {
            match statement {
                Statement::Let(stmt) => visit_let(stmt),
                Statement::Expr(stmt) => {
                    let _ = stmt.expr().map(SyntaxNode::range);
                }
                Statement::Other(node) => {
                    let _ = node.text();
                }
            }
        }
    }
    for node in root.descendants() {
        if let Some(stmt) = LetStmt::cast(node) {
            visit_let(stmt);
        }
        if let Some(stmt) = ExprStmt::cast(node) {
            let _ = stmt.expr().map(SyntaxNode::range);
        }
        if let Some(pipe) = PipeExpr::cast(node) {
            let _ = pipe.source().map(SyntaxNode::range);
            for operator in pipe.operators() {
                let _ = operator.first_token().map(|token| token.text());
            }
        }
        if let Some(named) = NamedExpr::cast(node) {
            for name in named.names() {
                visit_name(name);
            }
            let _ = named.value().map(SyntaxNode::range);
        }
        if let Some(name) = Name::cast(node) {
            visit_name(name);
        }
        if let Some(param) = Param::cast(node) {
            visit_param(param);
        }
        visit_graph_and_macro(node);
    }
}

/// The accessors of the graph operators, `macro-expand`, `entity_group` and `assert-schema`.
fn visit_graph_and_macro(node: SyntaxNode<'_>) {
    if let Some(make) = MakeGraph::cast(node) {
        make.source()
            .into_iter()
            .chain(make.target())
            .chain(make.node_id_name())
            .for_each(visit_name);
        let _ = make.directed();
        for (table, key) in make.node_tables() {
            let _ = table.map(SyntaxNode::range);
            key.into_iter().for_each(visit_name);
        }
        if let Some((column, operators)) = make.partitioned_by() {
            column.into_iter().for_each(visit_name);
            let _ = operators.map(SyntaxNode::range);
        }
        make.params().for_each(|(name, value)| {
            let _ = (name.len(), value.map(SyntaxNode::range));
        });
    }
    if let Some(graph_match) = GraphMatch::cast(node) {
        graph_match.params().for_each(|(name, value)| {
            let _ = (name.len(), value.map(SyntaxNode::range));
        });
        for pattern in graph_match.patterns() {
            pattern.nodes().filter_map(|node| node.name()).for_each(visit_name);
            for edge in pattern.edges() {
                edge.name().into_iter().for_each(visit_name);
                let _ = edge.direction();
                if let Some((low, high)) = edge.length_range() {
                    let _ = (low.map(SyntaxNode::range), high.map(SyntaxNode::range));
                }
            }
        }
        let _ = graph_match.predicate().map(SyntaxNode::range);
        graph_match.projections().for_each(|item| {
            let _ = item.range();
        });
    }
    if let Some(to_table) = GraphToTable::cast(node) {
        for output in to_table.outputs() {
            let _ = output.is_nodes();
            output.alias().into_iter().for_each(visit_name);
            output.params().for_each(|(name, value)| {
                let _ = (name.len(), value.map(SyntaxNode::range));
            });
        }
    }
    if let Some(expand) = MacroExpand::cast(node) {
        expand.params().for_each(|(name, value)| {
            let _ = (name.len(), value.map(SyntaxNode::range));
        });
        let _ = expand.source().map(SyntaxNode::range);
        expand.scope().into_iter().for_each(visit_name);
        let _ = expand.body().map(SyntaxNode::range);
    }
    if let Some(group) = EntityGroup::cast(node) {
        group.entities().for_each(|entity| {
            let _ = entity.range();
        });
    }
    asserted_columns(node).for_each(visit_param);
}

fn visit_let(stmt: LetStmt<'_>) {
    if let Some(name) = stmt.name() {
        visit_name(name);
    }
    for param in stmt.params() {
        visit_param(param);
    }
    let _ = stmt.body().map(SyntaxNode::range);
    let _ = stmt.value().map(SyntaxNode::range);
}

fn visit_param(param: Param<'_>) {
    if let Some(name) = param.name() {
        visit_name(name);
    }
    let _ = param.type_ref().map(SyntaxNode::range);
}

fn visit_name(name: Name<'_>) {
    let _ = name.token().map(|token| token.range());
    let _ = name.text();
}

pub fn assert_range(text: &str, range: &Range<u32>, what: &str) {
    let (start, end) = (range.start as usize, range.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what} range {range:?} is outside the text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} range {range:?} does not fall on character boundaries"
    );
}

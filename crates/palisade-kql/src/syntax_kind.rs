//! The kinds of tokens and nodes in the lossless syntax tree.

/// The kind of one token or node.
///
/// Tokens come first, then nodes; [`SyntaxKind::is_token`] tells them apart. Keywords are
/// contextual in KQL (most may also name a column), so the lexer produces [`SyntaxKind::Ident`]
/// for every word and the parser re-tags a word it reads as a keyword as [`SyntaxKind::Keyword`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum SyntaxKind {
    /// Spaces, tabs and line breaks.
    Whitespace,
    /// A `//` comment up to the end of its line.
    Comment,
    /// A name: a word, a digit-leading name such as `10ns`, or `$left`.
    Ident,
    /// A word the parser read as a keyword (its text says which).
    Keyword,
    /// A string literal in any form: quoted, verbatim, obfuscated or multi-line.
    StringLit,
    /// An integer literal such as `10` or `0x1F`, or `long(...)`.
    LongLit,
    /// `int(...)`.
    IntLit,
    /// A real literal such as `1.5` or `1e5`, or `real(...)`.
    RealLit,
    /// `decimal(...)`.
    DecimalLit,
    /// A timespan literal such as `5m` or `2.5h`, or `timespan(...)`.
    TimespanLit,
    /// `datetime(...)`.
    DateTimeLit,
    /// `guid(...)`.
    GuidLit,
    /// `true`, `false` or `bool(...)`.
    BoolLit,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `|`
    Pipe,
    /// `<|`
    LtPipe,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// `!`
    Bang,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `=`
    Eq,
    /// `==`
    EqEq,
    /// `!=`
    BangEq,
    /// `<>`
    LtGt,
    /// `=~`
    EqTilde,
    /// `!~`
    BangTilde,
    /// `:`
    Colon,
    /// `;`
    Semi,
    /// `,`
    Comma,
    /// `@`
    At,
    /// `?`
    Question,
    /// `=>`
    FatArrow,
    /// `*` used as a wildcard inside a name such as `Event*`; produced by the parser.
    Wildcard,
    /// A character that starts no token.
    ErrorToken,
    /// The end of the text; used by the parser only, never stored in a tree.
    Eof,

    /// The whole text: statements separated by `;`.
    Root,
    /// A query or expression used as a statement.
    ExprStmt,
    /// `let name = ...`
    LetStmt,
    /// `set name [= value]`
    SetStmt,
    /// `declare query_parameters (...)`
    DeclareStmt,
    /// `alias database x = ...`
    AliasStmt,
    /// `declare pattern ...` or `pattern` definitions.
    PatternStmt,
    /// `restrict access to (...)`
    RestrictStmt,
    /// A function's parameter list `(a: string, T: (*))`.
    ParamList,
    /// One parameter.
    Param,
    /// A type such as `string` or a tabular schema `(a: string, b: long)` or `(*)`.
    TypeRef,
    /// A function body `{ ... }`.
    FunctionBody,
    /// `view (...) { ... }`.
    ViewDecl,

    /// `a | op | op`
    PipeExpr,
    /// A binary operation; the operator is its middle token (or tokens).
    BinaryExpr,
    /// `-x` or `+x`.
    PrefixExpr,
    /// `a in (...)`, `a has_any (...)` and friends.
    InExpr,
    /// `a between (x .. y)`.
    BetweenExpr,
    /// A literal token or adjacent string literals.
    Literal,
    /// A name used as a value.
    NameRef,
    /// `['name']` used as a name.
    BracketName,
    /// `a.b`
    PathExpr,
    /// `a[i]`
    ElementExpr,
    /// `f(args)`
    CallExpr,
    /// `(expr)`
    ParenExpr,
    /// A parenthesized list `(a, b, c)`.
    ExprList,
    /// `dynamic(...)`.
    DynamicExpr,
    /// `[...]` inside `dynamic(...)`.
    JsonArray,
    /// `{...}` inside `dynamic(...)`.
    JsonObject,
    /// `"key": value` inside a JSON object.
    JsonPair,
    /// `name = expr` or `(a, b) = expr`.
    NamedExpr,
    /// `(a, b)` as the left side of a named expression.
    NameList,
    /// `name=value` query operator parameter such as `kind=inner` or `hint.strategy=shuffle`.
    OpParam,
    /// `by a, b`
    ByClause,
    /// `on a, $left.x == $right.y`
    OnClause,
    /// `expr asc|desc nulls first|last`
    OrderExpr,
    /// `with (...)` properties.
    WithClause,
    /// `toscalar(...)`, `materialize(...)` and other calls with a tabular argument.
    TabularCall,
    /// A name list with wildcards `Event*` in `union`, `find in (...)` or `project-away`.
    NamePattern,
    /// A `(...)` subquery argument.
    SubQuery,
    /// Tokens that could not be parsed, kept so the tree stays lossless.
    ErrorNode,

    /// `where` / `filter`
    WhereOp,
    /// `project`
    ProjectOp,
    /// `project-away`
    ProjectAwayOp,
    /// `project-keep`
    ProjectKeepOp,
    /// `project-rename`
    ProjectRenameOp,
    /// `project-reorder`
    ProjectReorderOp,
    /// `extend`
    ExtendOp,
    /// `summarize`
    SummarizeOp,
    /// `join`
    JoinOp,
    /// `union`
    UnionOp,
    /// `lookup`
    LookupOp,
    /// `mv-expand`
    MvExpandOp,
    /// `mv-apply`
    MvApplyOp,
    /// `parse`
    ParseOp,
    /// `parse-kv`
    ParseKvOp,
    /// `parse-where`
    ParseWhereOp,
    /// `make-series`
    MakeSeriesOp,
    /// `top`
    TopOp,
    /// `top-nested`
    TopNestedOp,
    /// `top-hitters`
    TopHittersOp,
    /// `sort` / `order`
    SortOp,
    /// `take` / `limit`
    TakeOp,
    /// `distinct`
    DistinctOp,
    /// `count`
    CountOp,
    /// `evaluate`
    EvaluateOp,
    /// `invoke`
    InvokeOp,
    /// `render`
    RenderOp,
    /// `serialize`
    SerializeOp,
    /// `as`
    AsOp,
    /// `getschema`
    GetSchemaOp,
    /// `sample`
    SampleOp,
    /// `sample-distinct`
    SampleDistinctOp,
    /// `search`
    SearchOp,
    /// `find`
    FindOp,
    /// `externaldata`
    ExternalDataOp,
    /// `datatable`
    DataTableOp,
    /// `range`
    RangeOp,
    /// `print`
    PrintOp,
    /// `facet`
    FacetOp,
    /// `fork`
    ForkOp,
    /// `partition`
    PartitionOp,
    /// `scan`
    ScanOp,
    /// `reduce`
    ReduceOp,
    /// `consume`
    ConsumeOp,
    /// `make-graph src --> dst [with T on key, ... | with_node_id=name] [partitioned-by c (...)]`
    MakeGraphOp,
    /// `graph-match [cycles=...] pattern, ... [where expr] [project ...]`
    GraphMatchOp,
    /// `graph-shortest-paths [output=...] pattern, ... [where expr] [project ...]`
    GraphShortestPathsOp,
    /// `graph-to-table nodes [as N] [with_node_id=x], edges [as E] [with_source_id=s] ...`
    GraphToTableOp,
    /// `graph-mark-components [kind=...] [with_component_id=name]`
    GraphMarkComponentsOp,
    /// `graph-where-nodes predicate`
    GraphWhereNodesOp,
    /// `graph-where-edges predicate`
    GraphWhereEdgesOp,
    /// `assert-schema (name: type, ...)`
    AssertSchemaOp,
    /// `macro-expand [params] source [as name] (query)`
    MacroExpandOp,
    /// `__executeAndCache`
    ExecuteAndCacheOp,
    /// `project-by-names expr, ...`
    ProjectByNamesOp,
    /// One step of `scan` or one branch of `fork`/`facet ... with`.
    OpBranch,
    /// `entity_group [a, b, ...]`: the value of a `let` or the source of `macro-expand`.
    EntityGroup,
    /// `where predicate` inside `graph-match` and `graph-shortest-paths`.
    WhereClause,
    /// `project a, n = b.c` inside `graph-match` and `graph-shortest-paths`.
    ProjectClause,
    /// One path pattern of `graph-match`: nodes and edges in a row, `(a)-[e]->(b)`.
    GraphPattern,
    /// A node of a graph pattern, `(name)` or `()`.
    GraphNode,
    /// An edge of a graph pattern: `-[e]->`, `<-[e]-`, `-[e*1..3]-`, `-->`, `<--` or `--`.
    GraphEdge,
    /// The `*low..high` length range of a variable-length edge.
    GraphEdgeRange,
    /// `Nodes on key` after `make-graph ... with`.
    GraphNodeTable,
    /// `partitioned-by column (operators)` of `make-graph`.
    PartitionedBy,
    /// `nodes [as N] [params]` or `edges [as E] [params]` of `graph-to-table`.
    GraphTableOutput,
}

impl SyntaxKind {
    /// Whether this kind is a token (a leaf).
    pub fn is_token(self) -> bool {
        self < SyntaxKind::Root
    }

    /// Whether this kind is trivia: whitespace or a comment.
    pub fn is_trivia(self) -> bool {
        matches!(self, SyntaxKind::Whitespace | SyntaxKind::Comment)
    }

    /// Whether this kind is a literal token.
    pub fn is_literal(self) -> bool {
        self >= SyntaxKind::StringLit && self <= SyntaxKind::BoolLit
    }

    /// Whether this kind is a tabular query operator node.
    pub fn is_query_operator(self) -> bool {
        self >= SyntaxKind::WhereOp && self <= SyntaxKind::ProjectByNamesOp
    }
}

//! Scalar expressions: name lookups, result types and default column names.

use std::borrow::Cow;

use super::names::{Rows, Ty, is_wildcard, name_text};
use super::schema::{BuiltinKind, ScalarType};
use super::walk::{Binding, Resolver, Value};
use crate::syntax_kind::SyntaxKind;
use crate::tree::SyntaxNode;

/// The column name Kusto gives an expression that has no `name =`.
pub(crate) enum DefaultName<'a> {
    /// Known: a column reference, a path, a conversion of one.
    Exact(Cow<'a, str>),
    /// `Column1`, `Column2`, ... as for `x + 1`.
    Numbered,
    /// A call whose naming rule Palisade does not know: numbered, and the schema goes open.
    Unknown,
}

/// Functions whose unnamed result takes the name of their first argument.
const NAME_PASSING: &[&str] = &[
    "tostring",
    "toint",
    "tolong",
    "todouble",
    "toreal",
    "tobool",
    "toboolean",
    "todatetime",
    "totimespan",
    "todynamic",
    "toobject",
    "toguid",
    "todecimal",
    "bin",
    "floor",
    "startofday",
    "startofweek",
    "startofmonth",
    "startofyear",
    "endofday",
    "endofweek",
    "endofmonth",
    "endofyear",
    "parse_json",
];

pub(crate) fn default_name(node: SyntaxNode<'_>) -> DefaultName<'_> {
    match node.kind() {
        SyntaxKind::NameRef | SyntaxKind::BracketName => match name_text(node) {
            Some(name) if !is_wildcard(node) => DefaultName::Exact(Cow::Borrowed(name)),
            _ => DefaultName::Unknown,
        },
        SyntaxKind::PathExpr | SyntaxKind::ElementExpr => match path_name(node) {
            Some(name) => DefaultName::Exact(Cow::Owned(name)),
            None => DefaultName::Unknown,
        },
        SyntaxKind::ParenExpr => match node.children().next() {
            Some(inner) => default_name(inner),
            None => DefaultName::Numbered,
        },
        SyntaxKind::CallExpr => {
            let Some(callee) = callee_name(node) else { return DefaultName::Unknown };
            if NAME_PASSING.contains(&callee)
                && let Some(first) = call_args(node).next()
            {
                return match default_name(first) {
                    DefaultName::Exact(name) => DefaultName::Exact(name),
                    _ => DefaultName::Unknown,
                };
            }
            DefaultName::Unknown
        }
        _ => DefaultName::Numbered,
    }
}

/// `a.b[0]['c']` as `a_b_0_c`.
fn path_name(node: SyntaxNode<'_>) -> Option<String> {
    let mut out = String::new();
    collect_path(node, &mut out)?;
    Some(out)
}

fn collect_path(node: SyntaxNode<'_>, out: &mut String) -> Option<()> {
    match node.kind() {
        SyntaxKind::NameRef | SyntaxKind::BracketName => {
            if !out.is_empty() {
                out.push('_');
            }
            out.push_str(name_text(node)?);
        }
        SyntaxKind::PathExpr | SyntaxKind::ElementExpr => {
            for child in node.children() {
                collect_path(child, out)?;
            }
        }
        SyntaxKind::Literal => {
            let token = node.first_token()?;
            let text = token.text();
            let text = if token.kind() == SyntaxKind::StringLit {
                let text = text.trim_start_matches(['h', 'H', '@']);
                text.get(1..text.len().saturating_sub(1))?
            } else {
                text
            };
            if !out.is_empty() {
                out.push('_');
            }
            out.push_str(text);
        }
        _ => return None,
    }
    Some(())
}

/// The callee name of a call `f(...)`.
pub(crate) fn callee_name(call: SyntaxNode<'_>) -> Option<&str> {
    let callee = call.children().next()?;
    if callee.kind() != SyntaxKind::NameRef {
        return None;
    }
    name_text(callee)
}

/// The argument nodes of a call, in order.
pub(crate) fn call_args<'a>(call: SyntaxNode<'a>) -> impl Iterator<Item = SyntaxNode<'a>> + 'a {
    call.child(SyntaxKind::ExprList).into_iter().flat_map(|list| list.children())
}

/// Whether a node kind is a tabular expression wherever it appears.
pub(crate) fn is_tabular_kind(kind: SyntaxKind) -> bool {
    kind == SyntaxKind::PipeExpr || kind.is_query_operator()
}

fn literal_type(node: SyntaxNode<'_>) -> Ty {
    let token = node.first_token()?;
    Some(match token.kind() {
        SyntaxKind::StringLit => ScalarType::String,
        SyntaxKind::LongLit => ScalarType::Long,
        SyntaxKind::IntLit => ScalarType::Int,
        SyntaxKind::RealLit => ScalarType::Real,
        SyntaxKind::DecimalLit => ScalarType::Decimal,
        SyntaxKind::TimespanLit => ScalarType::Timespan,
        SyntaxKind::DateTimeLit => ScalarType::Datetime,
        SyntaxKind::GuidLit => ScalarType::Guid,
        SyntaxKind::BoolLit => ScalarType::Bool,
        _ => return None,
    })
}

fn is_numeric(ty: ScalarType) -> bool {
    matches!(ty, ScalarType::Int | ScalarType::Long | ScalarType::Real | ScalarType::Decimal)
}

fn arithmetic(op: SyntaxKind, left: Ty, right: Ty) -> Ty {
    use ScalarType::*;
    let (left, right) = (left?, right?);
    Some(match (left, right) {
        (Datetime, Datetime) if op == SyntaxKind::Minus => Timespan,
        (Datetime, Timespan) => Datetime,
        (Timespan, Datetime) if op == SyntaxKind::Plus => Datetime,
        (Timespan, Timespan) if matches!(op, SyntaxKind::Plus | SyntaxKind::Minus) => Timespan,
        (Timespan, Timespan) if op == SyntaxKind::Slash => Real,
        (Timespan, n) | (n, Timespan) if is_numeric(n) => Timespan,
        (a, b) if is_numeric(a) && is_numeric(b) => {
            if a == Decimal || b == Decimal {
                Decimal
            } else if a == Real || b == Real {
                Real
            } else if a == Long || b == Long {
                Long
            } else {
                Int
            }
        }
        _ => return None,
    })
}

/// The result type of a built-in scalar or aggregate call, when it does not depend on more
/// than the first argument's type.
pub(crate) fn call_type(name: &str, first: Ty) -> Ty {
    use ScalarType::*;
    Some(match name {
        "tostring"
        | "strcat"
        | "strcat_delim"
        | "tolower"
        | "toupper"
        | "trim"
        | "trim_start"
        | "trim_end"
        | "substring"
        | "replace"
        | "replace_string"
        | "replace_regex"
        | "extract"
        | "format_datetime"
        | "format_timespan"
        | "url_decode"
        | "url_encode"
        | "base64_decode_tostring"
        | "base64_encode_tostring"
        | "strrep"
        | "reverse"
        | "hash_sha256"
        | "hash_md5"
        | "hash_sha1"
        | "tohex"
        | "parse_path"
        | "translate"
        | "geo_info_from_ip_address"
        | "strcat_array"
        | "typeof"
        | "gettype" => {
            if matches!(name, "parse_path" | "geo_info_from_ip_address") {
                Dynamic
            } else {
                String
            }
        }
        "toint" => Int,
        "tolong" | "count" | "dcount" | "countif" | "dcountif" | "strlen" | "indexof"
        | "array_length" | "hash" | "datetime_diff" | "countof" | "row_number" | "getyear"
        | "getmonth" | "dayofmonth" | "dayofweek_number" | "hourofday" | "array_index_of"
        | "binary_and" | "binary_or" | "binary_xor" | "estimate_data_size" => Long,
        "todouble" | "toreal" | "avg" | "avgif" | "stdev" | "variance" | "rand" | "log"
        | "log10" | "exp" | "sqrt" | "pow" | "round" => {
            if name == "round" {
                first.unwrap_or(Real)
            } else {
                Real
            }
        }
        "tobool"
        | "toboolean"
        | "isempty"
        | "isnotempty"
        | "isnull"
        | "isnotnull"
        | "ipv4_is_private"
        | "ipv4_is_in_range"
        | "ipv4_is_match"
        | "ipv6_is_match"
        | "has_any_ipv4"
        | "has_ipv4"
        | "has_any_ipv4_prefix"
        | "has_ipv4_prefix"
        | "set_has_element"
        | "isascii"
        | "isutf8"
        | "array_iff"
        | "ipv4_is_in_any_range" => {
            if name == "array_iff" {
                Dynamic
            } else {
                Bool
            }
        }
        "todatetime"
        | "now"
        | "ago"
        | "startofday"
        | "startofweek"
        | "startofmonth"
        | "startofyear"
        | "endofday"
        | "endofweek"
        | "endofmonth"
        | "endofyear"
        | "datetime_add"
        | "make_datetime"
        | "unixtime_seconds_todatetime"
        | "unixtime_milliseconds_todatetime"
        | "ingestion_time" => Datetime,
        "totimespan" | "make_timespan" => Timespan,
        "toguid" | "new_guid" => Guid,
        "todecimal" => Decimal,
        "todynamic"
        | "toobject"
        | "parse_json"
        | "parse_xml"
        | "parse_url"
        | "parse_csv"
        | "split"
        | "extract_all"
        | "pack"
        | "bag_pack"
        | "pack_array"
        | "pack_all"
        | "make_set"
        | "make_list"
        | "make_bag"
        | "make_set_if"
        | "make_list_if"
        | "make_bag_if"
        | "make_list_with_nulls"
        | "set_union"
        | "set_intersect"
        | "set_difference"
        | "array_concat"
        | "array_slice"
        | "bag_keys"
        | "bag_merge"
        | "bag_remove_keys"
        | "zip"
        | "parse_command_line"
        | "parse_user_agent"
        | "array_sort_asc"
        | "array_sort_desc"
        | "percentiles_array"
        | "series_stats_dynamic"
        | "extract_json"
        | "bag_set_key"
        | "range" => Dynamic,
        "bin" | "floor" | "min" | "max" | "minif" | "maxif" | "take_any" | "any" | "take_anyif"
        | "anyif" | "abs" | "prev" | "next" | "coalesce" | "sum" | "sumif" | "percentile" => first?,
        _ => return None,
    })
}

/// How deep scalar expressions are resolved inside each other; the parser allows 1,000
/// levels of brackets, so this is reached only by chains without brackets around them.
const MAX_SCALAR_DEPTH: u32 = 1_000;

impl<'a> Resolver<'a> {
    /// Resolves the names in a scalar expression against the row schema `row` and returns its
    /// type where known.
    ///
    /// Operator chains and member paths are walked in loops; any other nesting deeper than
    /// `MAX_SCALAR_DEPTH` (such as `d[0][0][0]...`, which the parser's bracket limit does not
    /// count) is left unresolved below that depth, so no input can exhaust the stack.
    pub(crate) fn scalar(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Ty {
        if self.scalar_depth >= MAX_SCALAR_DEPTH {
            return None;
        }
        self.scalar_depth += 1;
        let ty = self.scalar_at(node, row);
        self.scalar_depth -= 1;
        ty
    }

    fn scalar_at(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Ty {
        match node.kind() {
            SyntaxKind::Literal => literal_type(node),
            SyntaxKind::DynamicExpr => Some(ScalarType::Dynamic),
            SyntaxKind::NameRef | SyntaxKind::BracketName => self.name_value(node, row),
            SyntaxKind::PathExpr => self.path(node, row),
            SyntaxKind::ElementExpr => {
                for child in node.children() {
                    self.scalar(child, row);
                }
                Some(ScalarType::Dynamic)
            }
            SyntaxKind::CallExpr => match self.call(node, row, None) {
                Value::Scalar(ty) => ty,
                Value::Table(_) => None,
            },
            SyntaxKind::BinaryExpr => self.binary(node, row),
            SyntaxKind::PrefixExpr | SyntaxKind::ParenExpr => {
                let mut ty = None;
                for child in node.children() {
                    ty = self.scalar(child, row);
                }
                ty
            }
            SyntaxKind::InExpr | SyntaxKind::BetweenExpr => {
                for child in node.children() {
                    self.scalar(child, row);
                }
                Some(ScalarType::Bool)
            }
            SyntaxKind::ExprList => {
                for child in node.children() {
                    self.scalar(child, row);
                }
                None
            }
            SyntaxKind::NamedExpr => {
                let value = node.children().nth(1)?;
                self.scalar(value, row)
            }
            SyntaxKind::SubQuery => {
                self.tabular(node, None);
                None
            }
            kind if is_tabular_kind(kind) => {
                self.tabular(node, None);
                None
            }
            _ => None,
        }
    }

    /// Resolves a member path such as `a.b.c`. A long path nests to the left, one level per
    /// `.`, so its left spine is walked in a loop rather than by recursion.
    fn path(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Ty {
        let nested = node.children().next().is_some_and(|base| base.kind() == SyntaxKind::PathExpr);
        if !nested {
            // One `.`, the usual case: no spine to keep.
            self.path_level(node, row, None);
            return Some(ScalarType::Dynamic);
        }
        let mut spine = vec![node];
        while let Some(base) = spine
            .last()
            .and_then(|inner| inner.children().next())
            .filter(|base| base.kind() == SyntaxKind::PathExpr)
        {
            spine.push(base);
        }
        let mut below: Option<Ty> = None;
        for &path in spine.iter().rev() {
            self.path_level(path, row, below);
            below = Some(Some(ScalarType::Dynamic));
        }
        Some(ScalarType::Dynamic)
    }

    /// One level `base.member` of a path; `below` is the base's type when it is known already.
    fn path_level(&mut self, path: SyntaxNode<'a>, row: &Rows<'a>, below: Option<Ty>) {
        let base_ty = match below {
            Some(ty) => ty,
            None => path.children().next().and_then(|base| self.scalar(base, row)),
        };
        for child in path.children().skip(1) {
            if !matches!(child.kind(), SyntaxKind::NameRef | SyntaxKind::BracketName) {
                self.scalar(child, row);
            } else if !row.open
                && base_ty.is_some_and(|ty| ty != ScalarType::Dynamic)
                && let Some(member) = name_text(child)
            {
                // Only a dynamic value has members: `s.x` on a string names nothing.
                self.miss_column(member, child, &Rows::default());
            }
        }
    }

    /// Resolves a binary expression. A chain such as `a or b or c ...` nests to the left, one
    /// level per operator, so its left spine is walked in a loop rather than by recursion: a
    /// chain of any length takes no stack. Operands are still resolved left to right.
    fn binary(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Ty {
        let nested =
            node.children().next().is_some_and(|left| left.kind() == SyntaxKind::BinaryExpr);
        if !nested {
            // One operator, the usual case: no spine to keep.
            let types = self.operand_types(node, row, None);
            return binary_type(node, &types);
        }
        let mut spine = vec![node];
        while let Some(left) = spine
            .last()
            .and_then(|inner| inner.children().next())
            .filter(|left| left.kind() == SyntaxKind::BinaryExpr)
        {
            spine.push(left);
        }
        // The type of the spine node below the one being resolved, once it is known.
        let mut below: Option<Ty> = None;
        for &expr in spine.iter().rev() {
            let types = self.operand_types(expr, row, below);
            below = Some(binary_type(expr, &types));
        }
        below.flatten()
    }

    /// The types of a binary expression's operands, left to right; `left` is the type of the
    /// left operand when it is known already. An expression with more than two operand nodes
    /// (after error recovery) has its extra operands resolved, and gets no type.
    fn operand_types(
        &mut self,
        expr: SyntaxNode<'a>,
        row: &Rows<'a>,
        left: Option<Ty>,
    ) -> Operands {
        let mut types = Operands::default();
        for (index, operand) in expr.children().enumerate() {
            let ty = match left {
                Some(ty) if index == 0 => ty,
                _ => self.scalar(operand, row),
            };
            types.push(ty);
        }
        types
    }

    /// A name used as a value: a column, a variable, a parameter or a table.
    fn name_value(&mut self, node: SyntaxNode<'a>, row: &Rows<'a>) -> Ty {
        let name = name_text(node)?;
        if is_wildcard(node) || name.starts_with('$') {
            return None;
        }
        if let Some(col) = row.get(name) {
            return col.ty;
        }
        match self.lookup(name) {
            Some(Binding::Scalar(ty)) => return *ty,
            Some(_) => return None,
            None => {}
        }
        if self.schema.has_table_or_function(name) {
            return None;
        }
        self.miss_column(name, node, row);
        None
    }

    /// A call in a scalar or tabular position.
    pub(crate) fn call(
        &mut self,
        node: SyntaxNode<'a>,
        row: &Rows<'a>,
        input: Option<Rows<'a>>,
    ) -> Value<'a> {
        // The arguments are walked from the tree each time rather than collected: a call is
        // the most common node, and a list per call was a good part of the resolver's
        // allocations.
        let Some(name) = callee_name(node) else {
            for arg in call_args(node) {
                self.scalar(arg, row);
            }
            return Value::Scalar(None);
        };
        if let Some(Binding::Function(function)) = self.lookup(name) {
            let function = *function;
            let args: Vec<SyntaxNode<'a>> = call_args(node).collect();
            return self.call_function(function, &args, row, input);
        }
        match name {
            "materialize" | "view" => {
                return Value::Table(match call_args(node).next() {
                    Some(arg) => self.tabular(arg, None),
                    None => Rows::unknown(),
                });
            }
            "table" | "database" | "cluster" | "workspace" | "app" | "resource" => {
                for arg in call_args(node) {
                    self.scalar(arg, &Rows::default());
                }
                return Value::Table(Rows::unknown());
            }
            "typeof" => return Value::Scalar(None),
            _ => {}
        }
        let builtin = self.schema.is_builtin(BuiltinKind::Scalar, name)
            || self.schema.is_builtin(BuiltinKind::Aggregate, name);
        if !builtin && let Some(function) = self.schema.function(name) {
            for arg in call_args(node) {
                self.scalar(arg, row);
            }
            self.read_table(name, node, super::SourceKind::Function);
            return Value::Table(Rows::from_schema(&function.output));
        }
        // Each argument is resolved once and the types of the first two kept: resolving an
        // argument again to type the call would make nested calls (`iff(c, iff(c, ...), x)`)
        // exponential.
        let mut first_two: [Ty; 2] = [None, None];
        for (idx, arg) in call_args(node).enumerate() {
            let ty = self.scalar(arg, row);
            if let Some(slot) = first_two.get_mut(idx) {
                *slot = ty;
            }
        }
        if !builtin {
            self.miss_function(name, node);
        }
        let ty = match name {
            // Typed by the default value (`column_ifexists`) or the first branch (`iff`), as
            // Kusto.Language does.
            "column_ifexists" | "columnifexists" | "iif" | "iff" => first_two[1],
            _ => call_type(name, first_two[0]),
        };
        Value::Scalar(ty)
    }
}

/// The operand types of one binary expression, without a list on the heap.
#[derive(Default)]
struct Operands {
    types: [Ty; 2],
    len: usize,
}

impl Operands {
    fn push(&mut self, ty: Ty) {
        if let Some(slot) = self.types.get_mut(self.len) {
            *slot = ty;
        }
        self.len += 1;
    }
}

impl std::ops::Deref for Operands {
    type Target = [Ty];

    /// The types, or none at all past two operands (no type is derived from those).
    fn deref(&self) -> &[Ty] {
        self.types.get(..self.len).unwrap_or(&[])
    }
}

/// The type of a binary expression from its operands' types.
fn binary_type(node: SyntaxNode<'_>, types: &[Ty]) -> Ty {
    let op = node.tokens().next().map(|token| token.kind());
    match op {
        Some(
            op @ (SyntaxKind::Plus
            | SyntaxKind::Minus
            | SyntaxKind::Star
            | SyntaxKind::Slash
            | SyntaxKind::Percent),
        ) if types.len() == 2 => arithmetic(op, types[0], types[1]),
        Some(SyntaxKind::Plus | SyntaxKind::Minus | SyntaxKind::Star)
        | Some(SyntaxKind::Slash | SyntaxKind::Percent) => None,
        _ => Some(ScalarType::Bool),
    }
}

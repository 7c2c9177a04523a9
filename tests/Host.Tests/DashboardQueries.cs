using System.Text.Json;

namespace Scanflow.Host.Tests;

/// <summary>Reads the PromQL of a Grafana dashboard and the metric names a PromQL expression refers to, so tests can
/// check the dashboard against the metrics the service exposes (deploy/grafana/scanflow-dashboard.json).</summary>
public static class DashboardQueries
{
    private static readonly HashSet<string> AggregationOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    /// <summary>Keywords, binary operators spelt as words and the number literals Inf and NaN: never metric names.
    /// The PromQL lexer matches these in any case.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "atan2",
        "inf", "nan",
    };

    /// <summary>Keywords followed by a parenthesised list of label names.</summary>
    private static readonly HashSet<string> LabelListKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    /// <summary>Every non-empty <c>expr</c> of every panel target in the dashboard, in document order, including panels
    /// nested in (collapsed) rows and in the legacy top-level <c>rows</c>. Accepts the exported dashboard or the
    /// HTTP API's <c>{"dashboard": …}</c> wrapper.</summary>
    public static IReadOnlyList<string> Expressions(string dashboardJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(dashboardJsonPath));
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("dashboard", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            root = wrapped;
        }

        var expressions = new List<string>();
        CollectExpressions(root, expressions);
        return expressions;
    }

    /// <summary>The metric names <paramref name="expression"/> selects: every identifier that is not a function (an
    /// identifier followed by <c>(</c>), an aggregation operator, a keyword, a label name inside <c>{…}</c> or a
    /// <c>by</c>/<c>without</c>/<c>on</c>/<c>ignoring</c>/<c>group_left</c>/<c>group_right</c> list, a number or a
    /// duration. Strings, comments, ranges and subqueries (<c>[…]</c>) and Grafana variables (<c>$name</c>,
    /// <c>${name}</c>) are skipped; <c>{__name__="x"}</c> and the quoted <c>{"x"}</c> form count as metric x.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var text = expression;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(text, i);
            }
            else if (c == '#')
            {
                i = SkipComment(text, i);
            }
            else if (c == '[')
            {
                i = SkipBracketed(text, i, '[', ']');
            }
            else if (c == '{')
            {
                i = ReadMatchers(text, i, names);
            }
            else if (c == '$')
            {
                i = SkipVariable(text, i);
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = SkipNumber(text, i);
            }
            else if (IsIdentifierStart(c))
            {
                var end = IdentifierEnd(text, i);
                var word = text[i..end];
                var next = NextSignificant(text, end);
                if (LabelListKeywords.Contains(word) && next < text.Length && text[next] == '(')
                {
                    i = SkipBracketed(text, next, '(', ')');
                }
                else
                {
                    var isFunction = next < text.Length && text[next] == '(';
                    if (!isFunction && !Keywords.Contains(word) && !AggregationOperators.Contains(word))
                    {
                        names.Add(word);
                    }

                    i = end;
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    private static void CollectExpressions(JsonElement container, List<string> expressions)
    {
        if (container.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (container.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Array)
        {
            foreach (var target in targets.EnumerateArray())
            {
                if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty("expr", out var expr)
                    && expr.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(expr.GetString()))
                {
                    expressions.Add(expr.GetString()!);
                }
            }
        }

        foreach (var nested in new[] { "panels", "rows" })
        {
            if (container.TryGetProperty(nested, out var children) && children.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in children.EnumerateArray())
                {
                    CollectExpressions(child, expressions);
                }
            }
        }
    }

    /// <summary>Label matchers from <c>{</c> to its <c>}</c>: label names are skipped, a value only counts when it
    /// names the metric (<c>__name__="x"</c>, or a quoted name standing alone, Prometheus 3).</summary>
    private static int ReadMatchers(string text, int open, HashSet<string> names)
    {
        var i = open + 1;
        string? label = null;
        var op = "";
        var expectingName = true;
        while (i < text.Length && text[i] != '}')
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                var end = SkipString(text, i);
                var value = Unquote(text[i..end]);
                if (expectingName && op.Length == 0)
                {
                    // A quoted name alone is the metric; followed by an operator it is a quoted label name.
                    var next = NextSignificant(text, end);
                    if (next >= text.Length || text[next] is ',' or '}')
                    {
                        names.Add(value);
                    }
                    else
                    {
                        label = value;
                    }

                    expectingName = false;
                }
                else if (label == "__name__" && op == "=")
                {
                    names.Add(value);
                }

                i = end;
            }
            else if (c == ',')
            {
                (label, op, expectingName) = (null, "", true);
                i++;
            }
            else if (c is '=' or '!' or '~')
            {
                op += c;
                i++;
            }
            else if (IsIdentifierStart(c))
            {
                var end = IdentifierEnd(text, i);
                label = text[i..end];
                expectingName = false;
                i = end;
            }
            else
            {
                i++;
            }
        }

        return Math.Min(i + 1, text.Length);
    }

    private static string Unquote(string literal)
    {
        var inner = literal.Length >= 2 ? literal[1..^1] : literal;
        return literal.StartsWith('`') ? inner : inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    }

    /// <summary>Index after the string literal opening at <paramref name="start"/>; backticks take no escapes.</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return Math.Min(i + 1, text.Length);
    }

    private static int SkipComment(string text, int start)
    {
        var end = text.IndexOf('\n', start);
        return end < 0 ? text.Length : end + 1;
    }

    /// <summary>Index after the bracket that closes the one at <paramref name="start"/>, skipping strings inside.</summary>
    private static int SkipBracketed(string text, int start, char open, char close)
    {
        var depth = 0;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(text, i);
                continue;
            }

            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>Grafana's <c>$name</c>, <c>$__interval</c> and <c>${name}</c>, <c>${name:format}</c>.</summary>
    private static int SkipVariable(string text, int start)
    {
        var i = start + 1;
        if (i < text.Length && text[i] == '{')
        {
            var end = text.IndexOf('}', i);
            return end < 0 ? text.Length : end + 1;
        }

        return i < text.Length && IsIdentifierStart(text[i]) ? IdentifierEnd(text, i) : i;
    }

    /// <summary>Numbers (1, 0.95, .5, 1e-9, 0x1F) and durations (5m, 1h30m); an exponent's sign is read separately,
    /// and the digits after it are another number.</summary>
    private static int SkipNumber(string text, int start)
    {
        var i = start;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_'))
        {
            i++;
        }

        return i;
    }

    private static int NextSignificant(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static int IdentifierEnd(string text, int start)
    {
        var i = start;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or ':'))
        {
            i++;
        }

        return i;
    }
}

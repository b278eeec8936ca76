using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Agent.Llm;
using SkillForge.Broker;
using SkillForge.Client;
using SkillForge.Harness;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Cleanup;
using SkillForge.Worker.Erasure;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>
/// docs/configuration.md against the code: operators set what the doc says, so a key, default or range it gets wrong
/// is a setting silently ignored or rejected at start. Reads files and reflects over types; needs no server.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    /// <summary>Every options class the worker, the CLI and the client library bind, with its section.</summary>
    private static readonly (Type Options, string Section)[] OptionsClasses =
    [
        (typeof(RabbitMqOptions), RabbitMqOptions.Section),
        (typeof(WorkerOptions), WorkerOptions.Section),
        (typeof(SessionStoreOptions), SessionStoreOptions.Section),
        (typeof(RetentionPolicy), RetentionPolicy.Section),
        (typeof(CleanupScheduleOptions), CleanupScheduleOptions.Section),
        (typeof(RedisRewriteOptions), RedisRewriteOptions.Section),
        (typeof(SecurityOptions), SecurityOptions.Section),
        (typeof(AgentLlmOptions), AgentLlmOptions.Section),
        (typeof(SkillForgeClientOptions), SkillForgeClientOptions.Section),
    ];

    /// <summary>Settings with no options class behind them, so reflection cannot find them.</summary>
    private static readonly string[] DirectKeys =
    [
        // Read from IConfiguration by SessionsHostingExtensions (and the CLI's migrate).
        "ConnectionStrings:Postgres",
        "ConnectionStrings:PostgresMaintenance",
        "ConnectionStrings:PostgresAdmin",
        "ConnectionStrings:Redis",
        "Redis:CaCertificate",
        // Read by ASP.NET Core, the logging framework and OpenTelemetry; the LogLevel categories are those the shipped
        // appsettings.json sets.
        "Urls",
        "Logging:LogLevel:Default",
        "Logging:LogLevel:Microsoft.AspNetCore",
        "Logging:LogLevel:MassTransit",
        "Logging:LogLevel:Npgsql",
        "Logging:Console:FormatterName",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "Telemetry:Tracing",
    ];

    /// <summary>The shipped settings files; every key they set must be documented.</summary>
    private static readonly string[] AppSettingsFolders = ["src/SkillForge.Worker", "src/SkillForge.Cli"];

    private static readonly Dictionary<Type, string> TypeNames = new()
    {
        [typeof(string)] = "string",
        [typeof(string[])] = "string[]",
        [typeof(int)] = "int",
        [typeof(bool)] = "bool",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(TimeSpan)] = "TimeSpan",
    };

    private static readonly Lazy<IReadOnlyList<Row>> DocRows = new(ReadRows);

    [Fact]
    public void Should_document_every_setting_of_every_options_class()
    {
        var documented = DocRows.Value.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = OptionsSettings().Select(s => s.Key).Concat(DirectKeys).Where(key => !documented.Contains(key)).ToList();

        Assert.True(missing.Count == 0, $"docs/configuration.md has no row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Should_document_only_settings_the_code_reads()
    {
        var known = OptionsSettings().Select(s => s.Key).Concat(DirectKeys).ToHashSet(StringComparer.Ordinal);

        var unknown = DocRows.Value.Where(r => !known.Contains(r.Key)).Select(r => $"line {r.Line}: {r.Key}").ToList();
        var repeated = DocRows.Value.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(unknown.Count == 0, $"docs/configuration.md documents settings no code reads: {string.Join(", ", unknown)}");
        Assert.True(repeated.Count == 0, $"docs/configuration.md documents these twice: {string.Join(", ", repeated)}");
    }

    [Fact]
    public void Should_give_each_setting_its_environment_variable_type_and_validation()
    {
        var rows = DocRows.Value.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var key in DirectKeys.Where(rows.ContainsKey))
        {
            CheckEnvironmentVariable(rows[key], key.Replace(":", "__", StringComparison.Ordinal), failures);
        }
        foreach (var setting in OptionsSettings().Where(s => rows.ContainsKey(s.Key)))
        {
            var row = rows[setting.Key];
            var type = setting.Property.PropertyType;
            // An array is set item by item: the variable shown is the first item's.
            CheckEnvironmentVariable(row, setting.Key.Replace(":", "__", StringComparison.Ordinal) + (type.IsArray ? "__0" : ""), failures);
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            // An enum is documented by its values: what an operator may write.
            var typeName = underlying.IsEnum
                ? string.Join(" or ", Enum.GetNames(underlying).Select(name => $"`{name}`"))
                : TypeNames.GetValueOrDefault(underlying);
            if (typeName is null)
            {
                failures.Add($"{setting.Key}: no documented name for {type.Name}; add it to {nameof(TypeNames)}");
            }
            else if (row.Type != typeName)
            {
                failures.Add($"{setting.Key}: type is {typeName}, the doc says '{row.Type}'");
            }
            foreach (var attribute in setting.Property.GetCustomAttributes<ValidationAttribute>())
            {
                foreach (var expected in ValidationText(attribute) ?? [$"(a {attribute.GetType().Name}, which this test does not know yet)"])
                {
                    if (!row.Allowed.Contains(expected, StringComparison.Ordinal))
                    {
                        failures.Add($"{setting.Key}: allowed should mention {expected}, the doc says '{row.Allowed}'");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Should_give_each_setting_the_default_of_its_options_class()
    {
        var rows = DocRows.Value.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var setting in OptionsSettings().Where(s => rows.ContainsKey(s.Key)))
        {
            var row = rows[setting.Key];
            var expected = FormatValue(setting.Default);
            // An unset default is written "none", a set one as the default cell's first code span.
            var documented = row.Default.StartsWith("none", StringComparison.Ordinal) ? null : FirstCodeSpan(row.Default);
            if (documented != expected)
            {
                failures.Add($"{setting.Key}: default is {expected ?? "none"}, the doc says '{row.Default}'");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Should_document_every_key_of_the_shipped_appsettings_files()
    {
        var documented = DocRows.Value.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var undocumented = new List<string>();
        foreach (var file in AppSettingsFolders.SelectMany(folder => Directory.GetFiles(Path.Combine(RepositoryRoot.Path, folder), "appsettings*.json")))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            undocumented.AddRange(KeysOf(json.RootElement, "").Where(key => !documented.Contains(key))
                .Select(key => $"{Path.GetRelativePath(RepositoryRoot.Path, file)}: {key}"));
        }

        Assert.True(undocumented.Count == 0, $"Set in appsettings but not in docs/configuration.md: {string.Join(", ", undocumented)}");
    }

    private sealed record Row(string Key, string Environment, string Type, string Default, string Allowed, int Line);

    private sealed record Setting(string Key, PropertyInfo Property, object? Default);

    /// <summary>The doc's table rows whose first cell is a code span: | `key` | `ENV` | type | default | allowed | read by | meaning |.</summary>
    private static List<Row> ReadRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));
        var rows = new List<Row>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }
            var cells = lines[i].Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length >= 9 && KeyCell().Match(cells[1]).Success, $"docs/configuration.md line {i + 1} is not a setting's row of seven cells");
            rows.Add(new Row(KeyCell().Match(cells[1]).Groups[1].Value, cells[2], cells[3], cells[4], cells[5], i + 1));
        }
        Assert.NotEmpty(rows);
        return rows;
    }

    private static IEnumerable<Setting> OptionsSettings() =>
        OptionsClasses.SelectMany(o => SettingsOf(Activator.CreateInstance(o.Options)!, o.Section));

    /// <summary>What the configuration binder fills: settable public properties, a class of our own (Tls) as a subsection.</summary>
    private static IEnumerable<Setting> SettingsOf(object options, string prefix)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(options);
            var type = property.PropertyType;
            if (type.IsClass && type != typeof(string) && !type.IsArray)
            {
                foreach (var nested in SettingsOf(value ?? Activator.CreateInstance(type)!, key))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return new Setting(key, property, value);
            }
        }
    }

    private static void CheckEnvironmentVariable(Row row, string expected, List<string> failures)
    {
        if (FirstCodeSpan(row.Environment) != expected)
        {
            failures.Add($"{row.Key}: environment variable is {expected}, the doc says '{row.Environment}'");
        }
    }

    /// <summary>The text the allowed cell must hold for an attribute; null for one this test does not know.</summary>
    private static string[]? ValidationText(ValidationAttribute attribute) => attribute switch
    {
        RangeAttribute range => [$"`{Bound(range, range.Minimum)}`", $"`{Bound(range, range.Maximum)}`"],
        RequiredAttribute => ["required"],
        RegularExpressionAttribute regex => [$"`{regex.Pattern}`"],
        MinLengthAttribute minLength => [$"at least {minLength.Length}"],
        _ => null,
    };

    /// <summary>A bound as the doc writes it; a TimeSpan range holds strings until it has validated once, TimeSpans after.</summary>
    private static string? Bound(RangeAttribute range, object bound) => range.OperandType == typeof(TimeSpan)
        ? FormatValue(TimeSpan.Parse(Convert.ToString(bound, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture))
        : Convert.ToString(bound, CultureInfo.InvariantCulture);

    /// <summary>A value as the doc writes it; null for unset (null, empty string, empty array).</summary>
    private static string? FormatValue(object? value) => value switch
    {
        null or "" or Array { Length: 0 } => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan span => FormatTimeSpan(span),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(FormatValue))}]",
        _ => value.ToString(),
    };

    /// <summary>[d.]hh:mm:ss[.fff], as configuration files write a TimeSpan.</summary>
    private static string FormatTimeSpan(TimeSpan span)
    {
        var text = span.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        if (span.Days > 0)
        {
            text = $"{span.Days}.{text}";
        }
        return span.Ticks % TimeSpan.TicksPerSecond == 0 ? text : text + span.ToString(@"\.fff", CultureInfo.InvariantCulture);
    }

    private static string? FirstCodeSpan(string cell) => CodeSpan().Match(cell) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Every leaf key of an appsettings file, `:`-separated; an array counts as one setting.</summary>
    private static IEnumerable<string> KeysOf(JsonElement element, string prefix) => element.ValueKind == JsonValueKind.Object
        ? element.EnumerateObject().SelectMany(p => KeysOf(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}"))
        : [prefix];

    [GeneratedRegex("^`([^`]+)`$")]
    private static partial Regex KeyCell();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}

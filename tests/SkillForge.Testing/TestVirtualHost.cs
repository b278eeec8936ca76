using System.Net.Http.Json;
using SkillForge.Harness;

namespace SkillForge.Testing;

/// <summary>
/// A RabbitMQ virtual host of one test's own (created through the management API, deleted afterwards): for tests
/// that must be the only consumer of the worker's queues, which every other worker in the test run shares.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _http;

    private TestVirtualHost(HttpClient http, string name)
    {
        _http = http;
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestVirtualHost> CreateAsync()
    {
        var http = TestBroker.Management();
        var name = $"skillforge-test-{Guid.NewGuid():N}";
        (await http.PutAsJsonAsync($"api/vhosts/{name}", new { description = "a test's own" })).EnsureSuccessStatusCode();
        foreach (var permission in ProductionPermissions())
        {
            (await http.PutAsJsonAsync($"api/permissions/{name}/{permission.GetProperty("user").GetString()}", new
            {
                configure = permission.GetProperty("configure").GetString(),
                write = permission.GetProperty("write").GetString(),
                read = permission.GetProperty("read").GetString(),
            })).EnsureSuccessStatusCode();
        }
        return new TestVirtualHost(http, name);
    }

    /// <summary>Every party gets the permissions it has on the real virtual host, read from the file the broker loads.</summary>
    private static IEnumerable<System.Text.Json.JsonElement> ProductionPermissions()
    {
        return ReadDefinitions().GetProperty("permissions").EnumerateArray()
            .Where(p => p.GetProperty("vhost").GetString() == TestServers.RabbitMqVirtualHost)
            .Select(p => p.Clone())
            .ToList();
    }

    /// <summary>
    /// The real virtual host's policies and operator policies, as ops/rabbitmq/definitions.json defines them, put on this
    /// one; <paramref name="maxLength"/> replaces every operator policy's length limit (so a test can fill a queue).
    /// </summary>
    public async Task ApplyProductionPoliciesAsync(int? maxLength = null)
    {
        var definitions = ReadDefinitions();
        foreach (var policy in definitions.GetProperty("policies").EnumerateArray().Where(p => p.GetProperty("vhost").GetString() == TestServers.RabbitMqVirtualHost))
        {
            (await _http.PutAsJsonAsync($"api/policies/{Name}/{Uri.EscapeDataString(policy.GetProperty("name").GetString()!)}", Policy(policy, policy.GetProperty("definition")))).EnsureSuccessStatusCode();
        }
        foreach (var parameter in definitions.GetProperty("parameters").EnumerateArray()
                     .Where(p => p.GetProperty("vhost").GetString() == TestServers.RabbitMqVirtualHost && p.GetProperty("component").GetString() == "operator_policy"))
        {
            var value = parameter.GetProperty("value");
            var definition = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(value.GetProperty("definition"))!;
            if (maxLength is { } limit)
            {
                definition["max-length"] = System.Text.Json.JsonSerializer.SerializeToElement(limit);
            }
            (await _http.PutAsJsonAsync($"api/operator-policies/{Name}/{Uri.EscapeDataString(parameter.GetProperty("name").GetString()!)}", Policy(value, definition))).EnsureSuccessStatusCode();
        }
    }

    private static Dictionary<string, object> Policy(System.Text.Json.JsonElement policy, object definition) => new()
    {
        ["pattern"] = policy.GetProperty("pattern").GetString()!,
        ["apply-to"] = policy.GetProperty("apply-to").GetString()!,
        ["priority"] = policy.GetProperty("priority").GetInt32(),
        ["definition"] = definition,
    };

    private static System.Text.Json.JsonElement ReadDefinitions() =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "ops", "rabbitmq", "definitions.json"))).RootElement;

    /// <summary>Points a worker (or any host reading the <c>RabbitMq</c> section) at this virtual host.</summary>
    public IDictionary<string, string?> AsConfiguration() => new Dictionary<string, string?> { ["RabbitMq:VirtualHost"] = Name };

    /// <summary>A queue as the management API describes it (arguments, messages, consumers).</summary>
    public async Task<System.Text.Json.JsonElement> GetQueueAsync(string queue) =>
        await _http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{Name}/{queue}");

    /// <summary>The client connections open to this virtual host, as the management API lists them (user, ssl, …).</summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> GetConnectionsAsync() =>
        (await _http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/vhosts/{Name}/connections")).EnumerateArray().ToList();

    /// <summary>
    /// What the management UI's <i>Move messages</i> does (the shovel plugin): a dynamic shovel from
    /// <paramref name="from"/> to <paramref name="to"/> in this virtual host that deletes itself once it moved what was there.
    /// </summary>
    public async Task MoveMessagesAsync(string from, string to)
    {
        var local = $"amqp:///{Uri.EscapeDataString(Name)}";
        (await _http.PutAsJsonAsync($"api/parameters/shovel/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString($"Move from {from}")}", new
        {
            value = new Dictionary<string, object>
            {
                ["src-protocol"] = "amqp091", ["src-uri"] = local, ["src-queue"] = from,
                ["dest-protocol"] = "amqp091", ["dest-uri"] = local, ["dest-queue"] = to,
                ["src-delete-after"] = "queue-length",
            },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>Unbinds <paramref name="queue"/> from the fanout exchange of its name: what is sent there is unroutable.</summary>
    public async Task UnbindAsync(string queue) =>
        (await _http.DeleteAsync($"api/bindings/{Name}/e/{queue}/q/{queue}/~")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        await _http.DeleteAsync($"api/vhosts/{Name}");
        _http.Dispose();
    }
}

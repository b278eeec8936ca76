// An upstream service in miniature: the SkillForge client from its NuGet package holds a short conversation with the
// worker, reads the history back and erases the session. Exits 0 when every step got the answer it expects.
// Settings from the environment: RabbitMq__Host, RabbitMq__Port, RabbitMq__VirtualHost, RabbitMq__Username,
// RabbitMq__Password (defaults: ops/dev.sh's broker and the upstream user), SKILLFORGE_TENANT.
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Broker;
using SkillForge.Client;

var builder = Host.CreateApplicationBuilder(args);
var rabbit = new RabbitMqOptions { Username = "skillforge-upstream", Password = "skillforge-upstream" };
builder.Configuration.GetSection(RabbitMqOptions.Section).Bind(rabbit);
builder.Services.AddMassTransit(x =>
{
    x.AddSkillForgeClient();
    x.UsingRabbitMq((context, cfg) =>
    {
        cfg.UseSkillForgeBroker(rabbit, "skillforge-sample");
        cfg.ConfigureEndpoints(context);
    });
});
using var host = builder.Build();
await host.StartAsync();

var client = host.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
var tenant = Environment.GetEnvironmentVariable("SKILLFORGE_TENANT") is { Length: > 0 } t ? t : "dotnet-sample";
var session = $"sample-{Guid.NewGuid():N}"[..20];
string[] turns = ["I want a skill that reviews SQL migrations for risky changes", "Name it sql-migration-review"];
var failed = false;
foreach (var text in turns)
{
    var turn = await client.SendTurnAsync(tenant, session, text);
    if (turn.Replied is { } reply)
    {
        Console.WriteLine($"> {text}\n< {reply.Reply}\n  ({reply.State}, version {reply.Version})");
    }
    else
    {
        Console.WriteLine($"rejected: {turn.Rejected!.Code} {turn.Rejected.Reason}");
        failed = true;
    }
}
var history = await client.GetHistoryAsync(tenant, session);
Console.WriteLine($"history: {history.History?.Messages.Count ?? 0} messages");
failed |= history.History?.Messages.Count != 2 * turns.Length;
var erased = await client.EraseAsync(tenant, session, "sample run");
Console.WriteLine(erased.Erased is { } e ? $"erased: {e.MessagesDeleted} messages" : $"erasure refused: {erased.Refused!.Reason}");
failed |= erased.Erased is not { Existed: true };

await host.StopAsync();
Console.WriteLine(failed ? "FAILED" : "OK");
return failed ? 1 : 0;

using System.Text.Json;
using Dapper;
using RabbitMQ.Client;
using SkillForge.Contracts.Queues;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Tests.Security;

/// <summary>
/// Security:OperatorUsers is the whole list of trusted operators: configuring another operator takes the default
/// `skillforge-operator` out of it (a revoked operator user must stop being trusted), tried with that user's own
/// broker credentials against a real worker on a virtual host of its own.
/// </summary>
public sealed class OperatorUsersTests
{
    [Fact]
    public async Task Should_drop_and_audit_an_operator_message_from_the_default_operator_once_another_is_configured()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var settings = vhost.AsConfiguration();
        settings["Security:OperatorUsers:0"] = TestServers.RabbitMqAdminUsername;
        await using var worker = await RealWorker.StartWorkerAsync(settings);
        var revoked = TestServers.RabbitMqOperator;
        var messageId = Guid.NewGuid();

        await using (var connection = await TestBroker.ConnectAsync(revoked, vhost.Name))
        await using (var channel = await connection.CreateChannelAsync())
        {
            var envelope = JsonSerializer.SerializeToUtf8Bytes(new
            {
                messageId,
                messageType = new[] { "urn:message:SkillForge.Contracts.Operations:PlaceLegalHold" },
                message = new { tenantId = TestIds.Tenant(), reason = "case 9", placedBy = "mallory" },
                sentTime = DateTime.UtcNow,
            });
            await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.Operations), "", mandatory: false,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, UserId = revoked.Name }, envelope);
        }

        var refusal = await Eventually.ReadAsync(async () =>
        {
            await using var database = await SharedDatabase.Superuser.OpenConnectionAsync();
            return await database.QuerySingleOrDefaultAsync<(string Reason, string Sender)?>(
                "SELECT reason, sender FROM refused_messages WHERE message_id = @messageId", new { messageId });
        }, r => r is not null, TimeSpan.FromSeconds(30));
        Assert.Equal((SenderCheck.UntrustedSender, revoked.Name), refusal!.Value);
    }
}

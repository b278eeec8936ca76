namespace SkillForge.Testing;

/// <summary>One party's RabbitMQ user, as ops/rabbitmq/definitions.json defines it.</summary>
public sealed record BrokerUser(string Name, string Password);

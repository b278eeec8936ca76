using System.Text.Json.Serialization;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Caching;

/// <summary>Source-generated JSON for cache entries: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredSession))]
internal sealed partial class SessionsJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Core.Bots;

/// <summary>How stores keep a rule's reply and patterns, and skills of a session: JSON, the same in every store.</summary>
public static class BotRuleJson
{
    public static string WriteReply(BotReply reply) => JsonSerializer.Serialize(reply, BotRuleJsonContext.Default.BotReply);

    public static BotReply ReadReply(string json) =>
        JsonSerializer.Deserialize(json, BotRuleJsonContext.Default.BotReply) ?? throw new JsonException("A stored rule reply is empty.");

    public static string WriteList(IReadOnlyList<string> items) => JsonSerializer.Serialize(items, BotRuleJsonContext.Default.IReadOnlyListString);

    public static IReadOnlyList<string> ReadList(string json) => JsonSerializer.Deserialize(json, BotRuleJsonContext.Default.IReadOnlyListString) ?? [];

    /// <summary>A site's welcome per language tag, as stored (null: none set).</summary>
    public static string? WriteWelcomes(IReadOnlyDictionary<string, string>? welcomes) =>
        welcomes is null || welcomes.Count == 0 ? null : JsonSerializer.Serialize(welcomes, BotRuleJsonContext.Default.IReadOnlyDictionaryStringString);

    public static IReadOnlyDictionary<string, string>? ReadWelcomes(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, BotRuleJsonContext.Default.IReadOnlyDictionaryStringString);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BotReply))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class BotRuleJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Core.Protocol;

/// <summary>Source-generated JSON for every protocol frame: camelCase, nulls omitted, no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(ClientFrame))]
[JsonSerializable(typeof(WelcomeFrame))]
[JsonSerializable(typeof(AckFrame))]
[JsonSerializable(typeof(MessageFrame))]
[JsonSerializable(typeof(MessagesFrame))]
[JsonSerializable(typeof(ConversationFrame))]
[JsonSerializable(typeof(ReceiptFrame))]
[JsonSerializable(typeof(TypingFrame))]
[JsonSerializable(typeof(PageFrame))]
[JsonSerializable(typeof(PongFrame))]
[JsonSerializable(typeof(ErrorFrame))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;

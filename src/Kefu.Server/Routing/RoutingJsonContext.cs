using System.Text.Json.Serialization;

namespace Kefu.Server.Routing;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VisitorEntry))]
[JsonSerializable(typeof(PreChatSettings))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;

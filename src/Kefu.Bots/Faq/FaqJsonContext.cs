using System.Text.Json.Serialization;
using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(List<FaqEntry>))]
internal sealed partial class FaqJsonContext : JsonSerializerContext;

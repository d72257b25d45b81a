using System.Text.Json.Serialization;

namespace Kefu.Storage.Sqlite.Bots;

[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class BotJsonContext : JsonSerializerContext;

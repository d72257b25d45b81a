using System.Text.Json.Serialization;

namespace Kefu.Storage.Sqlite;

/// <summary>The JSON the store writes itself: lists of strings (FAQ alternates, ids handed to <c>json_each</c>).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

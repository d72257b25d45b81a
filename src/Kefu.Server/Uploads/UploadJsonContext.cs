using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Server.Uploads;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UploadRecord))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Core.Protocol;

namespace Kefu.Server.Uploads;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Attachment))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;

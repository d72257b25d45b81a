using System.Text.Json;

namespace Kefu.Core.Protocol;

/// <summary>
/// Any frame a client sends. Protocol v1 frames are small and share field names, so one flat shape
/// parsed by the source generator is both the fastest and the simplest reader; the gateway checks
/// per type which fields are required.
/// </summary>
public sealed class ClientFrame
{
    public string? Type { get; set; }
    public string? Rid { get; set; }
    public string? Token { get; set; }
    public List<ResumePoint>? Resume { get; set; }
    public JsonElement? Context { get; set; }
    public ClientInfo? Client { get; set; }
    public string? ClientMsgId { get; set; }
    public string? ConversationId { get; set; }
    public string? ClientConvId { get; set; }
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public JsonElement? Attachment { get; set; }
    public JsonElement? Meta { get; set; }
    public long? AfterSeq { get; set; }
    public long? BeforeSeq { get; set; }
    public int? Limit { get; set; }
    public long? Seq { get; set; }
    public bool? Active { get; set; }
}

public sealed record ResumePoint(string ConversationId, long AfterSeq);

public sealed record ClientInfo(string? Name, string? Version);

namespace Kefu.LoadGen.Protocol;

/// <summary>The fields of a server frame that the load generator acts on; everything else is skipped.</summary>
internal sealed class InboundFrame
{
    public string? Type { get; set; }
    public string? Rid { get; set; }
    public string? ConversationId { get; set; }
    public long Seq { get; set; }
    public string? MsgId { get; set; }
    public string? ClientMsgId { get; set; }
    public string? SenderType { get; set; }
    public string? SenderId { get; set; }
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public string? Status { get; set; }
    public string? AssigneeId { get; set; }
    public long LastSeq { get; set; }
    public bool HasMore { get; set; }
    public string? UserId { get; set; }
    public string? Code { get; set; }
    public string? Message { get; set; }
    public int HeartbeatSeconds { get; set; }

    /// <summary><c>welcome.conversations</c> or <c>messages.items</c>.</summary>
    public List<InboundFrame>? Items { get; set; }
}

namespace Kefu.Core.Bots;

/// <summary>
/// A button of a <c>quickReplies</c> message; the visitor's pick is sent back as <see cref="Value"/> (text), with
/// <see cref="Payload"/>, when there is one, as the send's <c>meta.quickReply</c> (see <see cref="QuickReplyPayload"/>).
/// </summary>
public sealed record QuickReplyOption(string Label, string Value, string? Payload = null);

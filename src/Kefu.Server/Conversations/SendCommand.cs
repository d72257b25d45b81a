namespace Kefu.Server.Conversations;

/// <summary>A validated <c>send</c>: fields are checked by the gateway before it gets here.</summary>
internal sealed record SendCommand(string ClientMsgId, string? ConversationId, string? ClientConvId, string Kind, string? Text, string? AttachmentJson, string? MetaJson);

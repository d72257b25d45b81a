namespace Kefu.Core.Bots;

/// <summary>A button of a <c>quickReplies</c> message; the visitor's pick is sent back as <see cref="Value"/>.</summary>
public sealed record QuickReplyOption(string Label, string Value);

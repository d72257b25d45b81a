namespace Kefu.Core.Bots;

/// <summary>One earlier message of the conversation, as a bot sees it.</summary>
/// <param name="SenderType">The protocol's sender type: <c>visitor</c>, <c>agent</c>, <c>bot</c> or <c>system</c>.</param>
public sealed record BotTurn(string SenderType, string Text);

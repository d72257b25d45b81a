namespace Kefu.Core.Bots;

/// <summary>
/// Starts a conversation served by the bot (status <c>bot</c>): <see cref="Welcome"/>, when set, is stored in the
/// same commit as the conversation's first message, sent by the bot under <see cref="SenderName"/>.
/// </summary>
public sealed record BotGreeting(string SenderName, string? Welcome);

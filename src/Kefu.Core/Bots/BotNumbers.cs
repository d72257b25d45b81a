namespace Kefu.Core.Bots;

/// <summary>
/// Bot activity of a site over a time range (by when conversations started: since inclusive, until exclusive): conversations the bot served,
/// those handed to a human, those closed without a handoff (resolved by the bot), and the visitor questions
/// it answered or could not answer.
/// </summary>
public sealed record BotNumbers(int Conversations, int HandedOff, int Resolved, int Answered, int Unanswered);

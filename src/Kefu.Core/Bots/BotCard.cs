namespace Kefu.Core.Bots;

/// <summary>The <c>meta</c> of a <c>card</c> message.</summary>
public sealed record BotCard(string Title, string? Description = null, string? ImageUrl = null, string? Url = null);

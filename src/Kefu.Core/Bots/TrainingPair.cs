namespace Kefu.Core.Bots;

/// <summary>A question and the answer it should get, for <see cref="IBot.TrainAsync"/>.</summary>
public sealed record TrainingPair(string SiteId, string Question, string Answer, string? Category = null);

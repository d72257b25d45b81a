namespace Kefu.Server.Routing;

/// <summary>
/// What a visitor's entry point chose for its next conversation: the team (resolved to its id), skills, and
/// the name and contact the pre-chat form asked for.
/// </summary>
internal sealed record VisitorEntry(string? TeamId, IReadOnlyList<string> Skills, string? Name, string? Contact);

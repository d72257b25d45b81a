namespace Kefu.Server.Routing;

/// <summary>The body of <c>POST /api/v1/visitor/prechat</c>: <see cref="Team"/> is a team's id or name.</summary>
internal sealed record PreChatForm(string? Name, string? Contact, string? Team);

/// <summary>What the widget needs to draw the form (<c>GET /api/v1/visitor/prechat</c>).</summary>
internal sealed record PreChatView(bool Enabled, bool AskName, bool AskContact, bool ContactRequired, IReadOnlyList<PreChatTeam> Teams);

internal sealed record PreChatTeam(string Id, string Name);

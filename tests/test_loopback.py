"""The loopback Discord, exercised by the real discord.py client over real sockets.

A throwaway bot (``DemoBot`` below) stands in for ``SitrepBot``: each command exercises one
protocol path (reply, button View, defer + file follow-up, modal, autocomplete, guild scope,
a late reply, an oversized reply, a scheduled-style channel post).
"""

from __future__ import annotations

import asyncio
import io
import struct
import zlib

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.http import Route

from bot.loopback import (
    CommandUnavailable,
    FakeDiscord,
    OptionError,
    loopback_bot,
    message_to_text,
    parse_command_line,
)

pytest_plugins = ["bot.loopback.pytest_plugin"]
pytestmark = pytest.mark.e2e
TOWNSHIPS = ["Mandalay", "Meiktila", "Mese", "Minbu", "Mogok", "Yangon"]


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


PNG = tiny_png()


# --- the throwaway bot ---------------------------------------------------------------------------
class CounterView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="Next", custom_id="counter:next")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count {self.count}", view=self)

    @discord.ui.button(label="Reset", custom_id="counter:reset")
    async def reset(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count = 0
        await interaction.response.defer()  # type 6, then PATCH @original
        await interaction.edit_original_response(content="count 0 (reset)")

    @discord.ui.button(label="Done", custom_id="counter:done", style=discord.ButtonStyle.danger)
    async def done(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        for item in self.children:
            item.disabled = True  # type: ignore[attr-defined]
        await interaction.response.edit_message(content=f"final {self.count}", view=self)
        self.stop()


class Panel(discord.ui.LayoutView):
    """Components V2: text and a button inside a container."""

    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.clicks = 0
        self.text = discord.ui.TextDisplay("clicks 0")
        button = discord.ui.Button(label="Click", custom_id="panel:click")
        button.callback = self.click
        self.add_item(discord.ui.Container(self.text, discord.ui.ActionRow(button)))

    async def click(self, interaction: discord.Interaction) -> None:
        self.clicks += 1
        self.text.content = f"clicks {self.clicks}"
        await interaction.response.edit_message(view=self)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text")
    contact = discord.ui.TextInput(label="Contact", required=False)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"thanks: {self.text.value} / {self.contact.value or '-'}", ephemeral=True)


class Admin(app_commands.Group):
    config = app_commands.Group(name="config", description="Settings")

    @app_commands.command(description="Delete an event")
    async def delete(self, interaction: discord.Interaction, id: int) -> None:
        await interaction.response.send_message(f"deleted {id!r}", ephemeral=True)

    @config.command(name="set", description="Set a setting")
    async def set_(self, interaction: discord.Interaction, key: str, value: float) -> None:
        await interaction.response.send_message(f"{key}={value!r}")


class DemoCog(commands.Cog):
    def __init__(self, bot: DemoBot) -> None:
        self.bot = bot

    @app_commands.command(description="Ping someone")
    async def ping(self, interaction: discord.Interaction, who: str) -> None:
        await interaction.response.send_message(f"pong {who}")

    @app_commands.command(description="A counter with buttons")
    async def counter(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count 0", view=CounterView())

    @app_commands.command(description="Draw a chart")
    async def chart(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        embed = discord.Embed(title="Events", description="by week").set_footer(text="sitrep")
        embed.add_field(name="Mese", value="3")
        await interaction.followup.send("chart", embed=embed, file=discord.File(
            io.BytesIO(PNG), "chart.png"))
        await interaction.followup.send("only for you", ephemeral=True)

    @app_commands.command(description="A components v2 panel")
    async def panel(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(view=Panel())

    @app_commands.command(description="A private report")
    async def report(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.edit_original_response(content="report ready")
        original = await interaction.original_response()  # GET @original
        await original.edit(content=original.content + "!")

    @app_commands.command(description="Send feedback")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @app_commands.command(description="Log an event")
    @app_commands.describe(township="Where", date="When", count="How many", verified="Checked?")
    async def log(self, interaction: discord.Interaction, township: str, date: str,
                  count: int = 1, verified: bool = False) -> None:
        await interaction.response.send_message(f"{township}|{date}|{count!r}|{verified!r}")

    @log.autocomplete("township")
    async def township_autocomplete(self, interaction: discord.Interaction, current: str
                                    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOWNSHIPS
                if t.lower().startswith(current.lower())]

    @app_commands.command(description="Who is that")
    async def whois(self, interaction: discord.Interaction, user: discord.Member) -> None:
        roles = ",".join(r.name for r in user.roles if not r.is_default())
        await interaction.response.send_message(f"{user.name}:{roles}")

    @app_commands.command(description="Upload a file")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment,
                     where: discord.TextChannel, role: discord.Role) -> None:
        data = await file.read()  # downloaded from the fake's CDN by discord.py
        await interaction.response.send_message(
            f"{file.filename}:{len(data)}:{data == PNG}:{where.name}:{role.name}")

    @app_commands.command(description="Pick a fruit")
    async def pick(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View()
        select = discord.ui.Select(custom_id="fruit", options=[
            discord.SelectOption(label="Apple", value="apple"),
            discord.SelectOption(label="Pear", value="pear")])

        async def chosen(inner: discord.Interaction) -> None:
            await inner.response.edit_message(content=f"picked {select.values[0]}", view=None)

        select.callback = chosen
        view.add_item(select)
        await interaction.response.send_message("pick one", view=view)

    @app_commands.command(description="Replies too late")
    async def slow(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(3.2)
        await interaction.response.send_message("too late")

    @app_commands.command(description="Replies too long")
    async def long(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x" * 2001)

    @app_commands.command(description="Embed title too long")
    async def bigembed(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="t" * 257))

    @app_commands.command(description="Button label too long")
    async def widebutton(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="w" * 81, custom_id="wide"))
        await interaction.response.send_message("wide", view=view)

    @app_commands.command(description="Edits a follow-up, deletes the original")
    async def tidy(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("temporary")
        note = await interaction.followup.send("note", wait=True)
        await note.edit(content="edited note")
        await interaction.delete_original_response()

    @app_commands.command(description="Acknowledges twice")
    async def twice(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        await discord.InteractionResponse(interaction).send_message("second")  # bypass the guard

    @app_commands.command(description="Post the digest")
    async def post(self, interaction: discord.Interaction) -> None:
        channel = self.bot.get_channel(self.bot.digest_id)
        assert isinstance(channel, discord.TextChannel)
        await channel.send("weekly digest", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "d.csv"))
        await interaction.response.send_message("posted", ephemeral=True)


@app_commands.command(description="Only in the team guild")
async def teamonly(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(f"team {interaction.guild_id}")


@app_commands.context_menu(name="Quote message")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}")


class DemoBot(commands.Bot):
    def __init__(self, guild_id: int, digest_id: int, intents: discord.Intents | None = None,
                 **kwargs: object) -> None:
        intents = intents or discord.Intents.default()
        super().__init__(command_prefix="!", intents=intents, **kwargs)
        self.guild_id, self.digest_id = guild_id, digest_id
        self.app_errors: list[BaseException] = []
        self.tree.on_error = self.on_app_error  # type: ignore[method-assign]

    async def on_app_error(self, interaction: discord.Interaction, error: BaseException) -> None:
        self.app_errors.append(error)

    async def setup_hook(self) -> None:
        await self.add_cog(DemoCog(self))
        self.tree.add_command(Admin(name="admin", description="Admin tools",
                                    default_permissions=discord.Permissions(manage_guild=True)))
        self.tree.add_command(teamonly, guild=discord.Object(self.guild_id))
        self.tree.add_command(quote)


def factory(fake: FakeDiscord):
    return lambda **kw: DemoBot(fake.team.guild.id, fake.team.digest.id, **kw)


@pytest.fixture
async def bot(fake_discord: FakeDiscord):
    async with loopback_bot(factory(fake_discord), fake_discord) as bot:
        await fake_discord.sync_commands(bot)
        yield bot


# --- tests ----------------------------------------------------------------------------------------
async def test_ping_reply(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "ping", who="alice")
    callback = await reply.response()
    assert callback.type == 4
    assert (await reply.final()).content == "pong alice"
    assert not reply.ephemeral and reply.followups == []
    assert fake_discord.gateway.queries[0]["compress"] == "zlib-stream"  # binary frames path


async def test_sync_stores_tree_with_ids(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    global_names = {c["name"] for c in fake_discord.commands[None]}
    assert {"ping", "log", "admin", "Quote message"} <= global_names
    guild_cmds = fake_discord.commands[fake_discord.team.guild.id]
    assert [c["name"] for c in guild_cmds] == ["teamonly"]
    assert all(c["id"].isdigit() for c in fake_discord.all_commands())
    ids = {c["name"]: c["id"] for c in fake_discord.all_commands()}
    await fake_discord.sync_commands(bot)  # a re-sync keeps ids, as Discord does
    assert ids == {c["name"]: c["id"] for c in fake_discord.all_commands()}


async def test_option_types_and_subcommands(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "log", township="Mese",
                                     date="Tuesday", count="3", verified="true")
    assert (await reply.final()).content == "Mese|Tuesday|3|True"
    reply = await fake_discord.run(team.guild, team.member, '/log township:Mese date:"last week"')
    assert (await reply.final()).content == "Mese|last week|1|False"
    reply = await fake_discord.slash(team.guild, team.admin, "admin delete", id=3)
    assert (await reply.final()).content == "deleted 3" and reply.ephemeral
    reply = await fake_discord.slash(team.guild, team.admin, "admin config set", key="k", value=2)
    assert (await reply.final()).content == "k=2.0"
    reply = await fake_discord.slash(team.guild, team.member, "upload", file=("p.png", PNG),
                                     where=team.digest, role="Editor")
    assert (await reply.final()).content == f"p.png:{len(PNG)}:True:digest:Editor"
    with pytest.raises(OptionError, match="needs a channel"):
        await fake_discord.slash(team.guild, team.member, "upload", file=("p.png", PNG),
                                 where=team.editor_role, role="Editor")
    reply = await fake_discord.slash(team.guild, team.member, "whois", user=team.editor)
    assert (await reply.final()).content == "eddie:Member,Editor"
    with pytest.raises(OptionError, match="required option 'date'"):
        await fake_discord.slash(team.guild, team.member, "log", township="Mese")
    with pytest.raises(OptionError, match="whole number"):
        await fake_discord.slash(team.guild, team.member, "log", township="M", date="d", count="x")
    with pytest.raises(CommandUnavailable, match="hides /admin"):
        await fake_discord.slash(team.guild, team.member, "admin delete", id=3)
    assert bot.app_errors == []


async def test_button_view_updates_message(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "counter")
    message = await reply.final()
    assert [b.label for b in message.buttons] == ["Next", "Reset", "Done"]
    click = await fake_discord.press(message, "Next", user=team.member)
    assert (await click.response()).type == 7
    click = await fake_discord.press(message, "Next", user=team.editor)
    assert (await click.final()).content == "count 2"
    click = await fake_discord.press(message, "Reset", user=team.member)
    assert (await click.response()).type == 6
    assert (await click.final()).content == "count 0 (reset)"
    click = await fake_discord.press(message, "Done", user=team.member)
    await click.final()
    assert message.content == "final 0" and all(b.disabled for b in message.buttons)
    assert message_to_text(message).splitlines()[-1] == (
        "[Next (disabled)] [Reset (disabled)] [Done (disabled)]")
    with pytest.raises(AssertionError, match="disabled"):
        await fake_discord.press(message, "Next", user=team.member)


async def test_components_v2_panel(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    message = await (await fake_discord.slash(team.guild, team.member, "panel")).final()
    assert message.flags & (1 << 15) and message_to_text(message) == "| clicks 0\n| [Click]"
    click = await fake_discord.press(message, "Click", user=team.member)
    await click.final()
    assert message_to_text(message) == "| clicks 1\n| [Click]"


async def test_dm_invocation(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    reply = await fake_discord.slash(None, fake_discord.team.member, "ping", who="dm")
    message = await reply.final()
    assert message.content == "pong dm" and message.guild_id is None


async def test_select_menu(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    message = await (await fake_discord.slash(team.guild, team.member, "pick")).final()
    choice = await fake_discord.select(message, ["pear"], user=team.member)
    assert (await choice.final()).content == "picked pear" and message.components == []


async def test_defer_then_file_followup(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.editor, "chart")
    assert (await reply.response()).type == 5
    final = await reply.final()
    assert final.content == "chart" and not final.loading
    assert final.embed and final.embed["title"] == "Events"
    assert final.attachment("chart.png").data == PNG
    followup = await reply.followup(0)
    assert followup.ephemeral and followup.content == "only for you"
    async with aiohttp.ClientSession() as session, session.get(final.attachments[0].url) as resp:
        assert await resp.read() == PNG  # the fake serves attachment URLs
    text = message_to_text(final)
    assert "| **Events**" in text and "| Mese: 3" in text and "file: chart.png" in text
    report = await fake_discord.slash(team.guild, team.editor, "report")
    assert (await report.final()).content == "report ready!" and report.ephemeral


async def test_modal_roundtrip(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    opened = await fake_discord.slash(team.guild, team.member, "feedback")
    modal = await opened.modal()
    assert modal["title"] == "Feedback"
    with pytest.raises(AssertionError, match="required"):
        await fake_discord.submit_modal(opened, Contact="me")
    submitted = await fake_discord.submit_modal(opened, {"Your feedback": "great"})
    message = await submitted.final()
    assert message.content == "thanks: great / -" and message.ephemeral


async def test_autocomplete(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    choices = await fake_discord.autocomplete(team.guild, team.member, "log",
                                              focused="township", township="me")
    assert choices == [{"name": "Meiktila", "value": "Meiktila"}, {"name": "Mese", "value": "Mese"}]


async def test_guild_scoped_and_context_menu(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.outsider, "teamonly")
    assert (await reply.final()).content == f"team {team.guild.id}"
    other = fake_discord.add_guild("Elsewhere")
    other.add_channel("lobby")
    with pytest.raises(CommandUnavailable, match="not registered"):
        await fake_discord.slash(other, other.add_member("zed"), "teamonly")
    quoted = await fake_discord.context_menu(team.guild, team.member, "Quote message",
                                             reply.message)
    assert (await quoted.final()).content == f"> team {team.guild.id}"


async def test_late_reply_is_unknown_interaction(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "slow")
    rejection = await reply.rejected(timeout=5)
    assert (rejection.status, rejection.code) == (404, 10062)
    await fake_discord.wait_until(lambda: bot.app_errors, 1, "the bot to see the error")
    assert isinstance(bot.app_errors[0].__cause__ or bot.app_errors[0], discord.NotFound)
    assert reply.callback is None


async def test_limits_on_replies(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "long")
    rejection = await reply.rejected()
    assert (rejection.status, rejection.code) == (400, 50035)
    assert rejection.body["errors"]["data"]["content"]["_errors"][0]["code"] == (
        "BASE_TYPE_MAX_LENGTH")
    reply = await fake_discord.slash(team.guild, team.member, "bigembed")
    assert "embeds" in (await reply.rejected()).body["errors"]["data"]
    reply = await fake_discord.slash(team.guild, team.member, "widebutton")
    assert "components" in (await reply.rejected()).body["errors"]["data"]
    reply = await fake_discord.slash(team.guild, team.member, "twice")
    assert (await reply.rejected()).code == 40060
    assert reply.content == "first"


async def test_followup_edit_and_original_delete(bot: DemoBot, fake_discord: FakeDiscord
                                                 ) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.member, "tidy")
    note = await reply.followup(0)
    await fake_discord.wait_until(lambda: reply.message.deleted, 2, "the original deleted")
    assert note.content == "edited note" and note.history[0]["content"] == "note"
    assert reply.message.content == "temporary"


async def test_role_change_with_members_intent(fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    intents = discord.Intents.default()
    intents.members = True  # privileged: member cache + GUILD_MEMBER_UPDATE
    make = lambda **kw: DemoBot(team.guild.id, team.digest.id, intents=intents, **kw)  # noqa: E731
    async with loopback_bot(make, fake_discord) as bot:
        await fake_discord.sync_commands(bot)
        cached = bot.get_guild(team.guild.id).get_member(team.outsider.id)  # type: ignore[union-attr]
        assert cached is not None and len(cached.roles) == 1  # @everyone only
        await fake_discord.set_roles(team.outsider, ["Member", "Editor"])
        await fake_discord.wait_until(lambda: len(cached.roles) == 3, 2, "GUILD_MEMBER_UPDATE")
        reply = await fake_discord.slash(team.guild, team.outsider, "whois", user=team.outsider)
        assert (await reply.final()).content == "otto:Member,Editor"


async def test_privileged_intent_not_granted(fake_discord: FakeDiscord) -> None:
    fake_discord.granted_intents = 0
    intents = discord.Intents.default()
    intents.members = True
    make = lambda **kw: DemoBot(1, 2, intents=intents, **kw)  # noqa: E731
    with pytest.raises(AssertionError, match="PrivilegedIntentsRequired"):
        async with loopback_bot(make, fake_discord):
            pass


async def test_harness_reports_a_bot_that_dies(fake_discord: FakeDiscord) -> None:
    def broken(**kw: object) -> commands.Bot:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(), **kw)

        async def setup_hook() -> None:
            raise RuntimeError("boom in setup_hook")

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        return bot

    with pytest.raises(AssertionError, match="boom in setup_hook"):
        async with loopback_bot(broken, fake_discord):
            pass
    assert Route.BASE == "https://discord.com/api/v10"  # the patch was undone


async def test_guard_refuses_real_hosts(fake_discord: FakeDiscord) -> None:
    with pytest.raises(AssertionError, match="non-loopback hosts"):
        async with loopback_bot(factory(fake_discord), fake_discord) as bot:
            with pytest.raises(RuntimeError, match="loopback guard"):
                await bot.http.get_from_cdn("https://cdn.discordapp.com/attachments/1/2/x.png")


async def test_channel_post_with_file(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    reply = await fake_discord.slash(team.guild, team.admin, "post")
    assert (await reply.final()).content == "posted"
    posted = await fake_discord.wait_for_channel_message(team.digest)
    assert posted.content == "weekly digest"
    assert posted.attachment("d.csv").data == b"a,b\n1,2\n"
    assert fake_discord.channel_messages(team.general) == []


async def test_reconnect_resume_and_reidentify(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    await fake_discord.reconnect()
    assert fake_discord.gateway.log[-1] == ("resume", "/resume-gateway")
    reply = await fake_discord.slash(team.guild, team.member, "ping", who="again")
    assert (await reply.final()).content == "pong again"
    await fake_discord.invalidate_session()
    assert fake_discord.gateway.log[-1][0] == "identify"
    await fake_discord.wait_until(lambda: bot.get_guild(team.guild.id), 2, "the guild again")
    reply = await fake_discord.slash(team.guild, team.member, "ping", who="fresh")
    assert (await reply.final()).content == "pong fresh"


async def test_event_sent_while_disconnected_is_replayed(bot: DemoBot, fake_discord: FakeDiscord
                                                         ) -> None:
    team = fake_discord.team
    resumes = fake_discord.resumes
    await fake_discord.drop_connection(4000)  # the client RESUMEs on its own
    reply = await fake_discord.slash(team.guild, team.member, "ping", who="later")
    assert (await reply.final(timeout=5)).content == "pong later"
    assert fake_discord.resumes == resumes + 1


async def test_rate_limit_is_retried(bot: DemoBot, fake_discord: FakeDiscord) -> None:
    team = fake_discord.team
    fake_discord.inject_429("/callback", retry_after=0.05)
    reply = await fake_discord.slash(team.guild, team.member, "ping", who="429")
    assert (await reply.final()).content == "pong 429"
    assert ("POST", 429) in {(m, s) for m, _, s in fake_discord.requests}


def _bad_tree(mutate):
    """A bot whose single command is broken by ``mutate`` after discord.py's own checks."""

    def make(**kw: object) -> commands.Bot:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(), **kw)

        @bot.tree.command(description="fine")
        @app_commands.choices(kind=[app_commands.Choice(name=f"c{i}", value=i) for i in range(3)])
        async def thing(interaction: discord.Interaction, kind: int) -> None: ...

        mutate(thing)
        return bot

    return make


def _set_name(cmd): cmd.name = "Bad Name"
def _long_description(cmd): cmd.description = "d" * 101
def _many_choices(cmd):
    cmd._params["kind"].choices = [app_commands.Choice(name=f"c{i}", value=i) for i in range(26)]


@pytest.mark.parametrize(("mutate", "needle"), [
    (_set_name, "name"), (_long_description, "description"), (_many_choices, "choices")])
async def test_sync_validation(fake_discord: FakeDiscord, mutate, needle: str) -> None:
    async with loopback_bot(_bad_tree(mutate), fake_discord) as bot:
        with pytest.raises(app_commands.CommandSyncFailure) as failure:
            await fake_discord.sync_commands(bot)
    assert failure.value.code == 50035 and needle in str(failure.value)
    assert fake_discord.commands.get(None) is None


async def test_gateway_raw_protocol(fake_discord: FakeDiscord) -> None:
    """Text frames without compression, and a bad token closes with 4004."""
    url = fake_discord.gateway_url + "?v=10&encoding=json"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0}})
        closed = await ws.receive()
        assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4004


def test_parse_command_line_and_render() -> None:
    assert parse_command_line('/admin delete id:3 note:"two words" tag:x y') == (
        "admin delete", {"id": "3", "note": "two words", "tag": "x y"})
    text = message_to_text({"content": "hi", "flags": 64, "embeds": [
        {"title": "T", "description": "D", "fields": [{"name": "a", "value": "1"}],
         "footer": {"text": "F"}}], "components": [{"type": 1, "components": [
             {"type": 2, "label": "Go", "custom_id": "go", "style": 1}]}],
        "attachments": [{"filename": "r.csv", "size": 3}]})
    assert text == ("(only you can see this)\nhi\n| **T**\n| D\n| a: 1\n| -- F\n[Go]\n"
                    "file: r.csv (3 bytes)")

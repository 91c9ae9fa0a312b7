"""Small stopword lists used as a content-likeness signal by the line cleaner.

Function words are the cheapest language-independent sign of running prose (jusText, Pomikalek
2011): navigation, teasers and metadata have few of them, paragraphs have many. The lists are
short hand-written sets of the most frequent function words of each language, not exhaustive
linguistic resources. Chinese, Japanese and Korean are written without spaces (or with particles
glued to words), so their lists hold frequent particles and function words matched as substrings
by the cleaner rather than as whole tokens.
"""

from __future__ import annotations

_RAW: dict[str, str] = {
    "en": """
        a about above after again against all also am an and any are as at be because
        been before being below between both but by can could did do does doing down
        during each few for from further had has have having he her here hers herself
        him himself his how i if in into is it its itself just me more most my myself no
        nor not now of off on once only or other our ours out over own same she should
        so some such than that the their theirs them themselves then there these they
        this those through to too under until up very was we were what when where which
        while who whom why will with would you your yours yourself yourselves said says
        one may might must shall who's it's don't didn't isn't wasn't can't won't i'm
        we're they're
        """,
    "de": """
        aber alle allem allen aller alles als also am an ander andere anderen auch auf
        aus bei bin bis bist da damit dann das dass dein deine dem den denn der des
        dessen deshalb die dies diese diesem diesen dieser dieses doch dort du durch ein
        eine einem einen einer eines er es etwas euch euer für gegen gewesen hab habe
        haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in indem
        ins ist jede jedem jeden jeder jedes jetzt kann kein keine können könnte machen
        man manche mein meine mit muss musste nach nicht nichts noch nun nur ob oder
        ohne sehr sein seine sich sie sind so solche soll sollte sondern sonst über um
        und uns unser unter viel vom von vor wann war waren warum was weil weiter welche
        wenn wer werde werden wie wieder will wir wird wo wollen würde zu zum zur zwar
        zwischen
        """,
    "fr": """
        au aux avec ce ces cette dans de des du elle elles en et eux il ils je la le les
        leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas
        pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre
        vous été être avoir avait ont est était sera fait comme plus aussi bien tout
        tous toute toutes si sans sous entre depuis donc encore alors car cela ceci
        celui celle ils y leur quand très peu peut dont
        """,
    "es": """
        a al algo algunas algunos ante antes como con contra cual cuando de del desde
        donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta
        estaba estado estas este esto estos fue fueron ha habían han hasta hay la las le
        les lo los más me mi mientras muy nada ni no nos nosotros o otra otro otros para
        pero poco por porque que quien se sea ser si sido sin sobre son su sus también
        tiene tienen todo todos tu un una uno unos y ya yo cada puede pueden sino según
        """,
    "it": """
        a ad al alla alle allo agli ai anche che chi ci come con contro da dal dalla
        dalle dei del della delle dello degli di dove e è ed era erano essere fa gli ha
        hanno ho i il in io la le lei li lo loro lui ma mi mio ne nei nel nella nelle
        nello negli noi non o per perché più poi quale quando quello questa questi
        questo se sei si sia sono su sua sue sui sul sulla suo suoi tra tu tutti tutto
        un una uno vi molto ancora sempre dopo fra così anni
        """,
    "pt": """
        a ao aos as à às até com como da das de dela dele deles depois do dos e é ela
        elas ele eles em entre era essa esse esta está este eu foi foram há isso isto já
        lhe mais mas me mesmo meu minha muito na nas não nem no nos nós o os ou para
        pela pelas pelo pelos por qual quando que quem se sem ser seu seus só sua suas
        também te tem têm um uma você vocês sobre ainda bem pode porque estão seja num
        numa
        """,
    "ru": """
        а без более бы был была были было быть в вам вас весь во вот все всего всех вы
        где да даже для до его ее её если есть еще ещё же за здесь и из или им их к как
        когда кто ли либо меня мне может мы на над надо не него нее неё нет ни них но ну
        о об однако он она они оно от очень по под после при про с со так также такой
        там то тоже только том тот ты у уже хотя чего чей чем что чтобы эта эти это
        этого этой этот я который которые которая которых можно нужно
        """,
    "id": """
        ada adalah agar akan aku anda antara apa apabila atau bagi bahwa banyak beberapa
        belum bisa boleh dalam dan dari dengan di dia hanya harus hingga ia ini itu jadi
        jika juga kami kamu karena ke kepada kita lagi lain lebih maka masih mereka
        meski namun oleh pada para saat sangat satu saya sebagai sebelum sedang sehingga
        sejak selalu semua sendiri seperti serta setelah sudah tak tapi telah tentang
        tersebut tetapi tidak untuk walau yaitu yang
        """,
    "nl": """
        aan al als andere ben bij daar dan dat de deze die dit doch doen door dus een
        eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
        iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na
        naar niet niets nog nu of om omdat ons ook op over reeds te tegen toch toen tot
        u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden
        wordt zal ze zelf zich zij zijn zo zonder zou
        """,
    "ko": """
        이 그 저 것 수 등 및 를 을 은 는 이다 있다 없다 하다 했다 한다 된다 되다 위해
        대한 대해 그리고 하지만 그러나 또한 때문 통해 이번 지난 것으로 것이 있는 하는
        했다고 밝혔다 있다고 에서 으로 에게
        """,
    "zh": """
        的 了 是 在 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看
        好 自己 这 他 她 们 那 对 与 及 而 但 被 从 把 让 为 以 于 其 之 或 等 中 后 将
        已 并 所
        """,
    "ja": """
        の に は を た が で て と し れ さ ある いる も する から な こと として い や
        れる など なっ ない この ため その あっ よう また もの という あり まで られ
        なる へ か だ これ によって により おり より による ず なり られる において ば
        なかっ なく しかし について せ だっ
        """,
}

STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(raw.split()) for lang, raw in _RAW.items()}

# Languages whose stopwords are matched as substrings of a line (no word separators).
SUBSTRING_LANGS: frozenset[str] = frozenset({"zh", "ja", "ko"})

# Union of the space-separated languages: a language-agnostic fallback.
ALL_SPACED: frozenset[str] = frozenset().union(
    *(words for lang, words in STOPWORDS.items() if lang not in SUBSTRING_LANGS)
)

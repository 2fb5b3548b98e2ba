"""Word lists the answer-kind rules read: months, number words, titles, roles and place names."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in text.split(",") if w.strip())


MONTHS = _words(
    "January, February, March, April, May, June, July, August, September, October, November, December,"
    "Jan, Feb, Mar, Apr, Jun, Jul, Aug, Sep, Sept, Oct, Nov, Dec"
) - {"mar"}  # "may" counts only before a number ("May 5"): the recogniser checks
WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
NUMBER_WORDS = _words(
    "one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen,"
    "sixteen, seventeen, eighteen, nineteen, twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety,"
    "hundred, hundreds, thousand, thousands, million, millions, billion, billions, dozen, dozens, half,"
    "a third, a quarter, twice, double, triple"
)
TITLES = _words(
    "mr, mrs, ms, miss, dr, prof, professor, sir, dame, lord, lady, president, vice president, prime minister,"
    "minister, chancellor, king, queen, prince, princess, pope, judge, justice, senator, sen, rep, governor, gov,"
    "mayor, general, gen, colonel, col, captain, capt, lieutenant, sergeant, admiral, commander, ambassador,"
    "secretary, chairman, chairwoman, chair, ceo, director, chief, coach, saint, st, rev, reverend, father,"
    "sheikh, emir, sultan, crown, deputy, spokesman, spokeswoman, spokesperson, officer, inspector, detective"
)
# Words that open a sentence in capitals without starting a name.
SENTENCE_STARTERS = _words(
    "the, a, an, in, on, at, but, and, or, however, after, before, when, while, as, if, this, that, these, those,"
    "it, its, he, she, they, we, i, his, her, their, our, there, here, yet, so, then, since, although, though,"
    "meanwhile, also, according, during, for, from, with, without, by, to, of, about, over, under, some, many,"
    "most, several, both, each, all, no, not, one, two, three, last, next, earlier, later, today, yesterday,"
    "what, who, when, where, why, how, which, did, does, do, is, are, was, were, has, have, had, will, would,"
    "can, could, should, may, might, photo, read, also read, watch"
)
ROLES = _words(
    "president, vice president, prime minister, deputy prime minister, foreign minister, defence minister,"
    "defense minister, finance minister, minister, secretary of state, secretary, chancellor, ambassador,"
    "envoy, spokesman, spokeswoman, spokesperson, governor, mayor, senator, congressman, congresswoman,"
    "lawmaker, chief executive, chief executive officer, ceo, chief financial officer, cfo, chief operating officer,"
    "chairman, chairwoman, chairperson, chair, founder, co-founder, director, managing director, head, leader,"
    "commander, general, admiral, judge, chief justice, prosecutor, attorney general, attorney, lawyer,"
    "editor, analyst, economist, professor, researcher, coach, captain, manager, king, queen, emperor,"
    "pope, official, adviser, advisor, aide, chief of staff, inspector, police chief, commissioner,"
    "referee, umpire, fire chief, spokesman"
)
# People and groups a "who" question can be answered with when no name is given.
PERSON_NOUNS = ROLES | _words(
    "police, police officers, officers, rescuers, rescue teams, rescue workers, coast guard, firefighters,"
    "soldiers, troops, forces, residents, villagers, fishermen, witnesses, passengers, survivors, crew,"
    "investigators, prosecutors, jurors, jury, regulators, authorities, officials, lawmakers, voters,"
    "protesters, demonstrators, workers, employees, staff, doctors, nurses, scientists, researchers,"
    "students, teachers, parents, children, militants, rebels, insurgents, government, ministry, court,"
    "company, firm, board, shareholders, investors, analysts, citizens, volunteers, divers, navy, army,"
    # bodies that act ("fined by the regional health authority", "the council approved the plan")
    "authority, council, committee, agency, watchdog, commission, tribunal, inspectors"
)
PLACE_NOUNS = _words(
    "hospital, port, harbour, harbor, coast, island, village, town, city, capital, province, region, border,"
    "airport, station, school, university, prison, court, courthouse, square, street, bridge, river, sea,"
    "lake, bay, strait, mountain, valley, district, state, country, camp, base, embassy, office, headquarters"
)
# Last words that make a capitalised run a place or an organisation.
PLACE_WORDS = _words(
    "city, river, sea, ocean, island, islands, province, state, county, street, strait, bay, mountain,"
    "mountains, lake, gulf, peninsula, valley, coast, region, district, square, airport, harbour, harbor,"
    "port, bridge, park, desert, canal, channel, highway, avenue, road"
)
ORG_WORDS = _words(
    "court, bank, ministry, department, council, union, party, inc, inc., corp, corp., corporation, company,"
    "co, co., ltd, ltd., plc, llc, group, association, organisation, organization, agency, committee,"
    "commission, university, college, school, institute, foundation, parliament, congress, senate, police,"
    "army, navy, forces, force, guard, reuters, exchange, fund, authority, office, board, federation, league,"
    "club, airlines, airways, motors, holdings, technologies, systems, times, news, post, service, services,"
    "network, labs, capital, partners, trust, press, agency, church, tribunal, assembly, cabinet, fc, united"
)
CAUSE_MARKERS = _words(
    "because, due to, owing to, as a result, thanks to, caused by, blamed on, blamed, following,"
    "in response to, in retaliation, in protest, amid, so that, in order to, led to, leading to, after,"
    "for failing, for allegedly, citing, on suspicion, over allegations, the reason, reasons, to protest,"
    "to avoid, to prevent, to stop, aimed at, intended to, sparked by, started by, triggered by, set off by,"
    "ignited by, driven by, fuelled by, fueled by, prompted by, brought on by, the result of, stemmed from,"
    "stemming from, resulted from, resulting from, traced to, attributed to, put down to, blamed for"
)
DEMONYMS = _words(
    "Russian, Ukrainian, American, British, Chinese, Japanese, Korean, Indian, French, German, Italian,"
    "Spanish, Israeli, Palestinian, Iranian, Iraqi, Syrian, Turkish, Egyptian, Saudi, Indonesian, Malaysian,"
    "Singaporean, Australian, Canadian, Mexican, Brazilian, Polish, Dutch, Belgian, Swiss, Swedish, Greek,"
    "European, African, Asian, Western, Eastern, Kazakh, Belarusian, Georgian, Pakistani, Afghan, Filipino"
)
# Capitalised runs that are events, awards or documents rather than people ("the Cold War").
EVENT_WORDS = _words(
    "war, wars, games, olympics, cup, championship, summit, agreement, treaty, act, accord, prize, award, awards,"
    "festival, conference, election, elections, revolution, crisis, day, week, year, report, index, bill, law,"
    "plan, programme, program, project, mission, operation, trial, case, deal, fund, policy, strategy, rules"
)
SCALES = _words("hundred, thousand, million, billion, trillion, mn, bn, m, b, k")
CURRENCIES = _words(
    "dollars, dollar, euros, euro, pounds, yen, yuan, renminbi, rupees, rupee, rupiah, ringgit, pesos, peso,"
    "francs, franc, rubles, roubles, ruble, won, baht, dirhams, riyals, shekels, naira, rand, lira, cents,"
    "crowns, crown, kronor, krona, kroner, krone, koruna, zloty, zlotys, forint, lei, leu, hryvnia, hryvnias,"
    "dinars, dinar, shillings, shilling, pence, penny, cedis, cedi, kwacha, taka, dong, lire, liras, cent,"
    "usd, eur, gbp, jpy, cny, sgd, chf, sek, nok, dkk, inr, aud, cad"
)
TIME_UNITS = _words("day, days, week, weeks, month, months, year, years, decade, decades, hours, minutes")
RELATIVE_DATES = _words(
    "last week, last month, last year, last night, this week, this month, this year, next week, next month,"
    "next year, earlier this week, earlier this month, earlier this year, later this year, a year earlier,"
    "a year ago, the previous year, a day earlier"
)
PLACES = _words(
    # Continents, regions and countries.
    "Africa, Asia, Europe, North America, South America, Latin America, Oceania, Antarctica, Middle East,"
    "Southeast Asia, East Asia, Central Asia, the West, Gaza, West Bank, Crimea, Donbas, Kashmir, Taiwan,"
    "Afghanistan, Albania, Algeria, Angola, Argentina, Armenia, Australia, Austria, Azerbaijan, Bahrain,"
    "Bangladesh, Belarus, Belgium, Bolivia, Bosnia, Botswana, Brazil, Brunei, Bulgaria, Cambodia, Cameroon,"
    "Canada, Chad, Chile, China, Colombia, Congo, Costa Rica, Croatia, Cuba, Cyprus, Czech Republic, Czechia,"
    "Denmark, Ecuador, Egypt, Estonia, Ethiopia, Finland, France, Georgia, Germany, Ghana, Greece, Guatemala,"
    "Haiti, Honduras, Hong Kong, Hungary, Iceland, India, Indonesia, Iran, Iraq, Ireland, Israel, Italy,"
    "Jamaica, Japan, Jordan, Kazakhstan, Kenya, Kosovo, Kuwait, Kyrgyzstan, Laos, Latvia, Lebanon, Libya,"
    "Lithuania, Luxembourg, Macau, Madagascar, Malawi, Malaysia, Maldives, Mali, Malta, Mexico, Moldova,"
    "Mongolia, Montenegro, Morocco, Mozambique, Myanmar, Burma, Namibia, Nepal, Netherlands, New Zealand,"
    "Nicaragua, Niger, Nigeria, North Korea, South Korea, Korea, Norway, Oman, Pakistan, Palestine, Panama,"
    "Paraguay, Peru, Philippines, Poland, Portugal, Qatar, Romania, Russia, Rwanda, Saudi Arabia, Senegal,"
    "Serbia, Singapore, Slovakia, Slovenia, Somalia, South Africa, South Sudan, Spain, Sri Lanka, Sudan,"
    "Sweden, Switzerland, Syria, Tajikistan, Tanzania, Thailand, Tunisia, Turkey, Turkiye, Turkmenistan,"
    "Uganda, Ukraine, United Arab Emirates, UAE, United Kingdom, UK, Britain, Great Britain, England,"
    "Scotland, Wales, Northern Ireland, United States, US, U.S., USA, America, Uruguay, Uzbekistan,"
    "Venezuela, Vietnam, Yemen, Zambia, Zimbabwe,"
    # Cities that news datelines carry most.
    "Moscow, Kyiv, Kiev, Washington, New York, London, Paris, Berlin, Beijing, Shanghai, Tokyo, Seoul,"
    "Delhi, New Delhi, Mumbai, Jakarta, Batam, Bali, Manila, Bangkok, Hanoi, Kuala Lumpur, Sydney,"
    "Melbourne, Toronto, Ottawa, Vancouver, Los Angeles, San Francisco, Chicago, Boston, Miami, Houston,"
    "Dallas, Seattle, Atlanta, Brussels, Geneva, Zurich, Vienna, Rome, Milan, Madrid, Barcelona, Lisbon,"
    "Amsterdam, The Hague, Stockholm, Oslo, Copenhagen, Helsinki, Warsaw, Prague, Budapest, Athens,"
    "Istanbul, Ankara, Tehran, Baghdad, Damascus, Beirut, Jerusalem, Tel Aviv, Cairo, Riyadh, Dubai,"
    "Abu Dhabi, Doha, Nairobi, Lagos, Johannesburg, Cape Town, Karachi, Lahore, Islamabad, Kabul, Dhaka,"
    "Astana, Minsk, Tbilisi, Yerevan, Baku, Odesa, Odessa, Kharkiv, Mariupol, Bakhmut, Kherson, Luhansk,"
    "Donetsk, St Petersburg, Mexico City, Sao Paulo, Rio de Janeiro, Buenos Aires, Lima, Bogota, Santiago,"
    "Caracas, Havana, Taipei, Macao, Singapore, Hong Kong, Nassau, Bahamas, Manhattan, Brooklyn, Silicon Valley,"
    "Wall Street, Kowloon, Shenzhen, Guangzhou, Wuhan, Osaka, Busan, Pyongyang, Colombo, Kathmandu,"
    # US states.
    "Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida, Hawaii,"
    "Idaho, Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland, Massachusetts,"
    "Michigan, Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada, New Hampshire, New Jersey,"
    "New Mexico, North Carolina, North Dakota, Ohio, Oklahoma, Oregon, Pennsylvania, Rhode Island,"
    "South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont, Virginia, Washington State,"
    "West Virginia, Wisconsin, Wyoming"
)

//! Extraction cases from real-news-style copy: each test is named after the construction it covers
//! and checks the quotes found (span text, kind, speaker, cue).

use quotestance::extract::quotes::{QuoteKind, extract};

/// (quote text, kind, speaker, cue) of every quote in `text`.
fn quotes(text: &str) -> Vec<(String, QuoteKind, String, String)> {
    extract(text)
        .into_iter()
        .map(|q| {
            (
                text[q.span.start..q.span.end].to_string(),
                q.kind,
                q.speaker,
                q.cue,
            )
        })
        .collect()
}

#[test]
fn flattened_quote_reopened_before_its_attribution() {
    let text = "Nurse Ellen Park spoke to reporters. \"We have done our part. \"The rest is up to \
                them,\" she said.";
    let found = quotes(text);
    let texts: Vec<&str> = found.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(
        texts,
        vec!["We have done our part.", "The rest is up to them,"]
    );
    assert!(found.iter().all(|q| q.2 == "Ellen Park"), "{found:?}");
}

#[test]
fn flattened_quote_reopened_after_its_attribution() {
    let text = "Airline chief Tom Reyes met staff. \"Two planes are out of service, the rest of \
                the fleet is grounded,\" he said. \"Engineers are checking every aircraft.";
    let found = quotes(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0, "Engineers are checking every aircraft.");
    assert!(found.iter().all(|q| q.2 == "Tom Reyes"), "{found:?}");
}

#[test]
fn flattened_quotes_over_several_lost_paragraphs() {
    let text = "Forecaster Graham Petrie expects wind. \"It's the classic pattern,\" he says. \"The \
                wind will swing around in the evening. \"So it's going to be a long afternoon,\" \
                he says.";
    let found = quotes(text);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[1].0, "The wind will swing around in the evening.");
    assert!(found.iter().all(|q| q.2 == "Graham Petrie"), "{found:?}");
}

fn speakers(text: &str) -> Vec<String> {
    quotes(text).into_iter().map(|q| q.2).collect()
}

#[test]
fn job_titles_and_honorifics_glued_before_a_name_are_dropped() {
    for (text, name) in [
        (
            "District Collector Anupama Saikia says the camps are full.",
            "Anupama Saikia",
        ),
        (
            "Weather service forecaster Dana Whitfield said the storm would turn north.",
            "Dana Whitfield",
        ),
        (
            "Undersecretary Rosario Villanueva told reporters the cases had doubled.",
            "Rosario Villanueva",
        ),
        (
            "County Supervisor Dale Rourke denied the city had been kept in the dark.",
            "Dale Rourke",
        ),
        (
            "DSP Musa Bello said the suspects were arrested at a checkpoint.",
            "Musa Bello",
        ),
        (
            "Opposite Ana Lopes, named most valuable player, said she played through pain.",
            "Ana Lopes",
        ),
        (
            "\"They want peace,\" says Anglican priest Father Tomas Weka.",
            "Tomas Weka",
        ),
        (
            "Pensioner Doris Whiteley, 81, said the detour would make her journey longer.",
            "Doris Whiteley",
        ),
        (
            "Counsel Jonathan Pryor QC said the conviction could not stand.",
            "Jonathan Pryor",
        ),
        (
            "Forest and Bird's Rachel Kerr says the money is not enough.",
            "Rachel Kerr",
        ),
        (
            "Farmer Odette Marchetti said the frost had ruined her vines.",
            "Odette Marchetti",
        ),
        (
            "Father-of-three Callum Rees said the bus had not come for a week.",
            "Callum Rees",
        ),
        (
            "Fisherman Tolani of Akwete said the catch had halved.",
            "Tolani",
        ),
        (
            "Economist Peter Varga of Northgate Capital says rates will fall.",
            "Peter Varga",
        ),
        (
            "\"Turnout will decide it,\" says economic historian Ilse Brandt of Lorne Valley College.",
            "Ilse Brandt",
        ),
    ] {
        assert_eq!(speakers(text), vec![name.to_string()], "{text}");
    }
}

#[test]
fn initials_before_a_surname_are_not_an_acronym() {
    let text = "Divisional Railway Manager S.K. Raghavan said the trains would run late.";
    assert_eq!(speakers(text), vec!["S.K. Raghavan".to_string()]);
}

#[test]
fn surname_only_mention_resolves_to_the_fullest_form_before_or_after() {
    let text = "Ms Alvarez says the road will close in May. The mayor, Rosa Alvarez, was elected \
                last year. Mr Te Whata says the iwi supports it. Lyn Te Whata chairs the board.";
    assert_eq!(speakers(text), vec!["Rosa Alvarez", "Lyn Te Whata"]);
}

#[test]
fn surname_in_the_middle_of_a_full_name_resolves_to_it() {
    let text = "Mayor Arturo Benavides Lugo opened the bridge. Benavides said the work had \
                taken three years. Philip Ng Wai-man was in court. Ng said the case was weak.";
    assert_eq!(
        speakers(text),
        vec!["Arturo Benavides Lugo", "Philip Ng Wai-man"]
    );
}

#[test]
fn organisation_names_with_small_words_stay_whole() {
    let text = "The Association of Brazilian Exporters said on Monday that prices would rise. \
                The International Committee of the Red Cross said it was sending aid. \
                Britain's Department for International Development said it would help.";
    assert_eq!(
        speakers(text),
        vec![
            "The Association of Brazilian Exporters",
            "The International Committee of the Red Cross",
            "Britain's Department for International Development",
        ]
    );
}

#[test]
fn organisation_names_joined_by_and_or_with_a_plural_possessive_stay_whole() {
    for (text, speaker) in [
        (
            "The Glass and Ceramic Workers' Union said on Friday it would call strikes at four plants.",
            "The Glass and Ceramic Workers' Union",
        ),
        (
            "North Vandoria's Coastal Affairs and Forestry Ministry said the deal would hold.",
            "North Vandoria's Coastal Affairs and Forestry Ministry",
        ),
        (
            "Northern Water and Light says it may cut supply to 3,000 homes.",
            "Northern Water and Light",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn portfolio_words_inside_a_name_are_not_titles() {
    for (text, speaker) in [
        (
            "Campaign group Trade Monitor Asia accused the negotiators of ignoring the forests.",
            "Trade Monitor Asia",
        ),
        (
            "Lagos-based Harbour Labour Watch said complaints had risen sharply.",
            "Harbour Labour Watch",
        ),
        // A title's portfolio before a person's first name stays a title.
        (
            "Minister for Housing and Environment Peter Quill said the plan would go ahead.",
            "Peter Quill",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn a_title_with_small_words_before_a_name_gives_the_person() {
    for (text, speaker) in [
        (
            "Secretary of State Paul Ostrander said the forms would be ready by July.",
            "Paul Ostrander",
        ),
        (
            "Vandoria's Fuel and Energy Minister Oleh Brusko said Kiev would not pay more.",
            "Oleh Brusko",
        ),
        // Speaking for a titled person is not being that person.
        (
            "A spokesperson for Emergency Services Minister Ruth Calder said the review was done.",
            "A spokesperson for Emergency Services Minister Ruth Calder",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn where_and_when_a_named_speaker_spoke_is_not_part_of_the_name() {
    for (text, speaker) in [
        (
            "The Foreign Ministry in Valdora said it was seeking more information.",
            "The Foreign Ministry",
        ),
        (
            "Elena Marquez chairs the board. Marquez at a news conference said the plan would pass.",
            "Elena Marquez",
        ),
        (
            "Freedonia yesterday warned that the sanctions would stay until talks resumed.",
            "Freedonia",
        ),
        // A common noun before "in" or "at" keeps its place: the speaker is unnamed.
        (
            "UN monitors in Valdora said the convoy had been stopped for hours.",
            "UN monitors in Valdora",
        ),
        (
            "Refugees arriving at Kessa said they had walked for three days.",
            "Refugees arriving at Kessa",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn a_dateline_after_a_run_on_headline_is_not_a_speaker() {
    let text = "Strike grounds Aerolineas Sur as pay row deepens PUERTO NUEVO, Sept 12 (Wire) - \
                A strike by pilots grounded all flights of Aerolineas Sur on Thursday, saying \
                wages had fallen behind inflation.";
    assert!(
        !speakers(text).iter().any(|s| s.contains("PUERTO")),
        "{:?}",
        speakers(text)
    );
}

#[test]
fn arabic_article_names_are_names() {
    let text = "Coalition spokesman Colonel Saleh al-Otaibi said the targets were military. \
                Al-Otaibi said no market was hit.";
    assert_eq!(speakers(text), vec!["Saleh al-Otaibi", "Saleh al-Otaibi"]);
}

#[test]
fn group_subject_filling_the_sentence_up_to_the_cue() {
    for (text, speaker) in [
        (
            "Church leaders on the island say the violence must stop.",
            "Church leaders on the island",
        ),
        (
            "Residents reached by telephone said dozens of families had fled.",
            "Residents reached by telephone",
        ),
        (
            "Senior national rugby players say they will refuse to tour.",
            "Senior national rugby players",
        ),
        (
            "Hanoi police warned that vendors would be fined.",
            "Hanoi police",
        ),
        (
            "Japan's coast guard said the trawler had entered its waters.",
            "Japan's coast guard",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn headline_glued_to_the_first_sentence_is_not_part_of_the_speaker() {
    let text = "Wharfies set 48-hour stoppage at Fremantle The Waterside Workers' Federation says \
                its members will walk off the job on Monday.";
    assert_eq!(
        speakers(text),
        vec!["The Waterside Workers' Federation".to_string()]
    );
}

/// (quote text, kind) of the reported quotes in `text`.
fn reported(text: &str) -> Vec<(String, QuoteKind)> {
    quotes(text)
        .into_iter()
        .filter(|q| q.1 != QuoteKind::Direct)
        .map(|q| (q.0, q.1))
        .collect()
}

#[test]
fn object_control_and_evaluative_cues_govern_their_complement() {
    for (text, content) in [
        (
            "Home Minister Kamal Bista appealed to traders and bus owners to defy the strike.",
            "traders and bus owners to defy the strike",
        ),
        (
            "The Otago coach, Kevin Strang, wants the union to review the scrum ruling.",
            "the union to review the scrum ruling",
        ),
        (
            "She challenged Brandvold to agree to two more debates.",
            "Brandvold to agree to two more debates",
        ),
        (
            "Al Shabaab spokesman Abdirahman Dheere blamed African Union peacekeepers for the deaths.",
            "African Union peacekeepers for the deaths",
        ),
        (
            "Finance Minister Gordon Pelletier described the demand as a promise the province could \
             not afford.",
            "the demand as a promise the province could not afford",
        ),
        (
            "Mr Ng offered to surrender all three passports.",
            "to surrender all three passports",
        ),
        (
            "Pruett has pleaded not guilty to first-degree murder.",
            "not guilty to first-degree murder",
        ),
        (
            "She predicted undecided voters would break toward change.",
            "undecided voters would break toward change",
        ),
        (
            "Opposition spokeswoman Rachel Tamatea hit out at Heartland's demand for a review.",
            "Heartland's demand for a review",
        ),
    ] {
        assert_eq!(
            reported(text),
            vec![(content.to_string(), QuoteKind::Indirect)],
            "{text}"
        );
    }
}

#[test]
fn rejected_and_ruled_out_take_a_noun_phrase() {
    let text = "Iran's deputy foreign minister, Hamid Rezavand, ruled out any deal that would \
                require Tehran to ship its uranium abroad. Eritrea has rejected any withdrawal \
                from Badme.";
    let found = reported(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].0.starts_with("any deal that would"));
    assert_eq!(found[1].0, "any withdrawal from Badme");
}

#[test]
fn a_bare_noun_pointing_back_or_a_purpose_infinitive_is_not_reported_speech() {
    for text in [
        "Premier Jacinta Allan rejected the criticism.",
        "Members of the board voted on Tuesday to reject the budget.",
    ] {
        assert!(reported(text).is_empty(), "{text}");
    }
}

#[test]
fn said_then_a_time_or_place_then_the_clause() {
    let text = "Eritrea said on Thursday its forces had beaten back a fresh offensive. The \
                International Atomic Energy Agency said in Vienna its inspectors had not been \
                allowed to take samples.";
    let found = reported(text);
    assert_eq!(
        found.iter().map(|q| q.0.as_str()).collect::<Vec<_>>(),
        vec![
            "its forces had beaten back a fresh offensive",
            "its inspectors had not been allowed to take samples"
        ]
    );
}

#[test]
fn organisation_nouns_resolve_to_the_organisation_named_in_the_article() {
    let text = "Galway County Council says work on the ring road will begin in April. The council \
                says the road will cost 50 million euro. Commuters say they are relieved. \
                The railway says it will run longer trains from March. Central Railway runs the \
                main line.";
    assert_eq!(
        speakers(text),
        vec![
            "Galway County Council",
            "Galway County Council",
            "Commuters",
            "Central Railway"
        ]
    );
}

#[test]
fn the_company_resolves_to_the_name_after_a_business_noun() {
    let text = "Regional carmaker Torvane Motors will cut 300 jobs at its Lindqvist plant. The \
                company said weak sales in Europe had left it no choice.";
    let found = quotes(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, "Torvane Motors");
}

#[test]
fn a_pronoun_after_an_unnamed_official_with_a_capitalised_body_is_that_official() {
    let text = "Opposition MP Edwin Carr accused ministers of hiding the waiting lists.\n\n\
                A Department of Transport spokesman denied any figures had been withheld. \
                \"Every list is audited,\" he said.";
    assert_eq!(
        speakers(text),
        vec![
            "Edwin Carr",
            "A Department of Transport spokesman",
            "A Department of Transport spokesman"
        ]
    );
}

#[test]
fn a_firm_joined_by_an_ampersand_after_a_name_is_where_the_speaker_works() {
    assert_eq!(
        speakers("Analyst Jo Roe of Hollis & Grant said the results were strong."),
        vec!["Jo Roe"]
    );
}

#[test]
fn a_group_in_a_place_is_the_group_not_the_place() {
    assert_eq!(
        speakers("Hospitals in Leeds say they have cancelled 60 operations."),
        vec!["Hospitals in Leeds"]
    );
    assert_eq!(
        speakers("Neighbours on Calle Mayor said the noise went on all night."),
        vec!["Neighbours on Calle Mayor"]
    );
}

#[test]
fn an_unattributed_quote_after_a_sentence_introducing_someone_is_theirs() {
    let text = "Margaret Dewhurst said the holes were reported months ago.\n\n\
                \"They always find the money,\" she said.\n\n\
                Taxi driver Colin Mayhew, who has replaced two tyres, was more forgiving. \
                \"The lads are doing their best.\"";
    assert_eq!(
        speakers(text),
        vec!["Margaret Dewhurst", "Margaret Dewhurst", "Colin Mayhew"]
    );
}

#[test]
fn a_definite_role_then_a_description_naming_someone_gives_the_name() {
    assert_eq!(
        speakers(
            "The independent candidate, a retired head teacher named Alan Brough, says he is \
             standing because the parties ignore the town."
        ),
        vec!["Alan Brough"]
    );
}
